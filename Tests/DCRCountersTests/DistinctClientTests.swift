import DCRModel
import Testing
@testable import DCRCounters

@Suite("Distinct clients: once per group, under their latest intake")
struct DistinctClientTests {
    func clients(_ c: LiveCounters, _ from: LocalDate, _ to: LocalDate, _ groupBy: [Dimension],
                 sites: [String] = []) throws -> Report {
        try c.report(ReportQuery(measure: .distinctClients, from: from, to: to, groupBy: groupBy, sites: sites))
    }

    @Test("Table 1 shape: per year by gender, a gender change between years and within a year")
    func table1() throws {
        var c = Fixture.counters()
        c.apply([
            // a: male in both years, many visits.
            Fixture.intake(at: Fixture.at(2016, 3, 1), client: "a"),
            Fixture.intake(at: Fixture.at(2016, 9, 1), client: "a"),
            Fixture.intake(at: Fixture.at(2017, 2, 1), client: "a"),
            // b: female, 2016 only.
            Fixture.intake(at: Fixture.at(2016, 5, 1), client: "b", gender: .female),
            // c: male in 2016, female in 2017.
            Fixture.intake(at: Fixture.at(2016, 7, 1), client: "c", gender: .male),
            Fixture.intake(at: Fixture.at(2017, 7, 1), client: "c", gender: .female),
            // d: within 2018 first male, then female: latest wins.
            Fixture.intake(at: Fixture.at(2018, 1, 10), client: "d", gender: .male),
            Fixture.intake(at: Fixture.at(2018, 11, 10), client: "d", gender: .female),
        ])
        let r = try clients(c, Fixture.date(2016, 1, 1), Fixture.date(2018, 12, 31), [.year, .gender])
        #expect(r.rows == [ReportRow(keys: ["2016", "male"], count: 2),
                           ReportRow(keys: ["2016", "female"], count: 1),
                           ReportRow(keys: ["2017", "male"], count: 1),
                           ReportRow(keys: ["2017", "female"], count: 1),
                           ReportRow(keys: ["2018", "female"], count: 1)])
        #expect(r.total == 4)
        // Over the whole period each client counts once, under their very latest intake.
        let overall = try clients(c, Fixture.date(2016, 1, 1), Fixture.date(2018, 12, 31), [.gender])
        #expect(overall.rows == [ReportRow(keys: ["male"], count: 1), ReportRow(keys: ["female"], count: 3)])
    }

    @Test("latest means latest in time, not latest to arrive: a late upload does not win")
    func latestByTime() throws {
        var c = Fixture.counters()
        let now = Fixture.at(2019, 6, 20)
        c.apply(Fixture.intake(at: Fixture.at(2019, 6, 20, 11), client: "d", gender: .female, age: 41), nowMs: now)
        // Uploaded afterwards, happened earlier that day and earlier that year.
        c.apply(Fixture.intake(at: Fixture.at(2019, 6, 20, 9), client: "d", gender: .male, age: 39), nowMs: now)
        c.apply(Fixture.intake(at: Fixture.at(2019, 2, 1), client: "d", gender: .male, age: 39), nowMs: now)
        let r = try clients(c, Fixture.date(2019, 1, 1), Fixture.date(2019, 12, 31), [.gender, .ageBand])
        #expect(r.rows == [ReportRow(keys: ["female", "40-49"], count: 1)])
    }

    @Test("the total is the distinct clients of the whole period, not the sum of the rows")
    func totalIsNotSum() throws {
        var c = Fixture.counters()
        c.apply([Fixture.intake(at: Fixture.at(2022, 1, 3), client: "x"),
                 Fixture.intake(at: Fixture.at(2022, 1, 4), client: "x"),
                 Fixture.intake("SKYEN", at: Fixture.at(2022, 1, 4), client: "x"),
                 Fixture.intake(at: Fixture.at(2022, 1, 4), client: "y")])
        let from = Fixture.date(2022, 1, 1), to = Fixture.date(2022, 1, 31)
        let byDate = try clients(c, from, to, [.date])
        #expect(byDate.rows.map(\.count) == [1, 2])
        #expect(byDate.total == 2)
        let bySite = try clients(c, from, to, [.site])
        #expect(bySite.rows == [ReportRow(keys: ["H17"], count: 2), ReportRow(keys: ["SKYEN"], count: 1)])
        #expect(try clients(c, from, to, [], sites: ["SKYEN"]).total == 1)
    }

    @Test("per site and gender, a client counts at each site under their latest intake there")
    func latestWithinGroup() throws {
        var c = Fixture.counters()
        c.apply([Fixture.intake(at: Fixture.at(2020, 1, 1), client: "z", gender: .male),
                 Fixture.intake("SKYEN", at: Fixture.at(2020, 2, 1), client: "z", gender: .female),
                 Fixture.intake(at: Fixture.at(2020, 3, 1), client: "z", gender: .male)])
        let r = try clients(c, Fixture.date(2020, 1, 1), Fixture.date(2020, 12, 31), [.site, .gender])
        #expect(r.rows == [ReportRow(keys: ["H17", "male"], count: 1), ReportRow(keys: ["SKYEN", "female"], count: 1)])
        #expect(r.total == 1)
        let bySubstance = try clients(c, Fixture.date(2020, 1, 1), Fixture.date(2020, 12, 31), [.municipality, .substance])
        #expect(bySubstance.rows == [ReportRow(keys: ["101", "cocaine"], count: 1)])
    }

    @Test("clients met only by referrals or incidents are not counted as clients")
    func intakesOnly() throws {
        var c = Fixture.counters()
        let t = Fixture.at(2021, 5, 5)
        c.apply([Fixture.intake(at: t, client: "user"), Fixture.referral(at: t, client: "referred"),
                 Fixture.incident(at: t, client: "involved")])
        let day = Fixture.date(2021, 5, 5)
        #expect(try clients(c, day, day, []).total == 1)
        #expect(c.clientCount == 3)
    }

    @Test("with groups × clients too many for a flat array, the answer is the same")
    func sparseCells() throws {
        var c = Fixture.counters()
        for i in 0..<1_000 {
            c.apply(Fixture.intake(Fixture.sites[i % 3].code, at: Fixture.at(2023, 4, 1 + i % 2, i % 24),
                                   client: "k\(i % 400)", gender: i % 5 == 0 ? .female : .male))
        }
        let from = Fixture.date(2023, 4, 1), to = Fixture.date(2023, 4, 2)
        let dims: [Dimension] = [.date, .weekday, .hour, .site, .substance, .route, .gender]
        // Per date: 7 weekdays × 24 hours × 3 sites × 11 substances × 6 routes × 400 clients.
        #expect(7 * 24 * 3 * 11 * 6 * 400 > ReportScan.clientCells)
        let sparse = try clients(c, from, to, dims)
        #expect(sparse.total == 400)
        // Each (client, date, hour, site) cell holds one intake per client here, so rows sum to cells.
        var cells = Set<String>()
        for i in 0..<1_000 { cells.insert("k\(i % 400) \(i % 2) \(i % 24) \(i % 3)") }
        #expect(sparse.rows.reduce(0) { $0 + $1.count } == UInt64(cells.count))
        let bySiteDense = try clients(c, from, to, [.site])
        var perSite: [String: Set<String>] = [:]
        for i in 0..<1_000 { perSite[Fixture.sites[i % 3].code, default: []].insert("k\(i % 400)") }
        #expect(bySiteDense.rows.map(\.count) == ["H17", "SKYEN", "MOBILE"].map { UInt64(perSite[$0]!.count) })
    }
}
