import DCRModel
import Testing
@testable import DCRCounters

@Suite("Reports: counts by site, calendar and registered values")
struct ReportTests {
    func query(_ measure: Measure, _ from: LocalDate, _ to: LocalDate,
               _ groupBy: [Dimension], sites: [String] = []) -> ReportQuery {
        ReportQuery(measure: measure, from: from, to: to, groupBy: groupBy, sites: sites)
    }

    func query(_ from: LocalDate, _ to: LocalDate, _ groupBy: [Dimension]) -> ReportQuery {
        query(.intakes, from, to, groupBy)
    }

    @Test("by site: the 2012 shape, rows in configuration order, total the sum")
    func bySite() throws {
        var c = Fixture.counters()
        for i in 0..<7 { c.apply(Fixture.intake(at: Fixture.at(2012, 9, 10 + i, 13))) }
        for i in 0..<2 { c.apply(Fixture.intake("MOBILE", at: Fixture.at(2012, 9, 11 + i, 15))) }
        c.apply(Fixture.incident(at: Fixture.at(2012, 9, 12)))
        let r = try c.report(query(Fixture.date(2012, 9, 10), Fixture.date(2012, 11, 4), [.site]))
        #expect(r.rows == [ReportRow(keys: ["H17"], count: 7), ReportRow(keys: ["MOBILE"], count: 2)])
        #expect(r.total == 9)
    }

    @Test("without group_by one row holds the total; an empty period has no rows")
    func noGrouping() throws {
        var c = Fixture.counters()
        c.apply([Fixture.referral(at: Fixture.at(2023, 1, 2)), Fixture.referral(at: Fixture.at(2023, 1, 3))])
        let r = try c.report(query(.referrals, Fixture.date(2023, 1, 1), Fixture.date(2023, 1, 31), []))
        #expect(r.rows == [ReportRow(keys: [], count: 2)] && r.total == 2)
        let empty = try c.report(query(.referrals, Fixture.date(2024, 1, 1), Fixture.date(2024, 1, 31), []))
        #expect(empty.rows.isEmpty && empty.total == 0)
    }

    @Test("a period without events, grouped by calendar keys, has no rows", arguments: Measure.reportable)
    func emptyCalendarGroups(measure: Measure) throws {
        var c = Fixture.counters()
        c.apply(Fixture.intake(at: Fixture.at(2023, 1, 2)))
        let r = try c.report(query(measure, Fixture.date(2024, 1, 1), Fixture.date(2024, 12, 31),
                                   [.year, .month, .isoWeek, .date, .weekday, .site]))
        #expect(r.rows.isEmpty && r.total == 0)
    }

    @Test("the date range is inclusive at both ends, in local days")
    func inclusiveRange() throws {
        var c = Fixture.counters()
        c.apply([Fixture.intake(at: Fixture.at(2022, 12, 17, 23, 59, 59)),
                 Fixture.intake(at: Fixture.at(2022, 12, 18, 0, 0, 0)),
                 Fixture.intake(at: Fixture.at(2023, 1, 18, 23, 59, 59)),
                 Fixture.intake(at: Fixture.at(2023, 1, 19, 0, 0, 0))])
        let r = try c.report(query(Fixture.date(2022, 12, 18), Fixture.date(2023, 1, 18), [.date]))
        #expect(r.rows.map(\.keys) == [["2022-12-18"], ["2023-01-18"]])
        let oneDay = try c.report(query(Fixture.date(2022, 12, 18), Fixture.date(2022, 12, 18), []))
        #expect(oneDay.total == 1)
    }

    @Test("ISO weeks: the days of week 2020-W53 in two calendar years, then 2021-W01")
    func isoWeekAcrossNewYear() throws {
        var c = Fixture.counters()
        for (y, m, d) in [(2020, 12, 28), (2020, 12, 31), (2021, 1, 3), (2021, 1, 4), (2024, 12, 30)] {
            c.apply(Fixture.intake(at: Fixture.at(y, m, d, 12)))
        }
        let from = Fixture.date(2020, 12, 1), to = Fixture.date(2025, 1, 31)
        #expect(try c.rows(query(from, to, [.isoWeek]))
                == [["2020-W53"]: 3, ["2021-W01"]: 1, ["2025-W01"]: 1])
        #expect(try c.rows(query(from, to, [.year])) == [["2020"]: 2, ["2021"]: 2, ["2024"]: 1])
        let byMonth = try c.report(query(from, to, [.month]))
        #expect(byMonth.rows.map(\.keys) == [["2020-12"], ["2021-01"], ["2024-12"]])
        let byWeekday = try c.report(query(from, to, [.weekday]))
        #expect(byWeekday.rows == [ReportRow(keys: ["1-Mon"], count: 3),
                                   ReportRow(keys: ["4-Thu"], count: 1),
                                   ReportRow(keys: ["7-Sun"], count: 1)])
    }

    @Test("autumn change: 02:30 happens twice on 2023-10-29 and both count under hour 02")
    func autumnHourTwice() throws {
        var c = Fixture.counters()
        let cest0230: Int64 = 1_698_539_400_000, cet0230: Int64 = 1_698_543_000_000
        c.apply([Fixture.intake(at: cest0230 - 3_600_000), Fixture.intake(at: cest0230),
                 Fixture.intake(at: cet0230), Fixture.intake(at: cet0230 + 3_600_000)])
        let day = Fixture.date(2023, 10, 29)
        let r = try c.report(query(day, day, [.date, .hour]))
        #expect(r.rows == [ReportRow(keys: ["2023-10-29", "01"], count: 1),
                           ReportRow(keys: ["2023-10-29", "02"], count: 2),
                           ReportRow(keys: ["2023-10-29", "03"], count: 1)])
        #expect(try c.rows(query(day, day, [.weekday])) == [["7-Sun"]: 4])
    }

    @Test("spring change: on 2023-03-26 there is no hour 02, 01:59:59 is followed by 03:00")
    func springGap() throws {
        var c = Fixture.counters()
        let lastWinterSecond: Int64 = 1_679_792_399_000  // 01:59:59 CET
        c.apply([Fixture.intake(at: lastWinterSecond), Fixture.intake(at: lastWinterSecond + 1_000),
                 Fixture.intake(at: Fixture.at(2023, 3, 26, 2, 30))])  // wall time that does not exist
        let day = Fixture.date(2023, 3, 26)
        #expect(try c.rows(query(day, day, [.hour])) == [["01"]: 1, ["03"]: 2])
    }

    @Test("midnight belongs to the new day, in local time")
    func midnight() throws {
        var c = Fixture.counters()
        let newYear = Fixture.at(2023, 1, 1, 0, 0, 0)  // 2022-12-31T23:00:00Z
        c.apply([Fixture.intake(at: newYear - 1), Fixture.intake(at: newYear)])
        let r = try c.report(query(Fixture.date(2022, 12, 31), Fixture.date(2023, 1, 1), [.date, .hour]))
        #expect(r.rows.map(\.keys) == [["2022-12-31", "23"], ["2023-01-01", "00"]])
    }

    @Test("labels of registered values and municipalities, numbers sorted as numbers")
    func labels() throws {
        var c = Fixture.counters()
        let t = Fixture.at(2023, 2, 1)
        c.apply([Fixture.intake(at: t, gender: .female, age: 29, municipality: 101, substance: .heroin, route: .smoking),
                 Fixture.intake(at: t, gender: .male, age: 0, municipality: 0, substance: .crack, route: .injection),
                 Fixture.intake(at: t, gender: .other, age: 64, municipality: 15, substance: .crack, route: .injection),
                 Fixture.referral(at: t, gender: .unspecified, target: .outreachAssessment)])
        let day = Fixture.date(2023, 2, 1)
        let r = try c.report(query(day, day, [.municipality, .gender, .ageBand, .substance, .route]))
        #expect(r.rows.map(\.keys) == [["0", "male", "unknown", "crack", "injection"],
                                       ["15", "other", "60+", "crack", "injection"],
                                       ["101", "female", "18-29", "heroin", "smoking"]])
        #expect(try c.rows(query(.referrals, day, day, [.gender, .referralTarget]))
                == [["unknown", "outreach-assessment"]: 1])
    }

    @Test("rows sort by the first group_by key first")
    func keyOrder() throws {
        var c = Fixture.counters()
        c.apply([Fixture.intake(at: Fixture.at(2021, 6, 1), gender: .female),
                 Fixture.intake(at: Fixture.at(2022, 6, 1), gender: .male),
                 Fixture.intake(at: Fixture.at(2021, 6, 1), gender: .male)])
        let r = try c.report(query(Fixture.date(2021, 1, 1), Fixture.date(2022, 12, 31), [.gender, .year]))
        #expect(r.rows.map(\.keys) == [["male", "2021"], ["male", "2022"], ["female", "2021"]])
    }

    @Test("a site filter counts only those sites, and a dropped site stays reportable")
    func siteFilter() throws {
        var c = Fixture.counters()
        let t = Fixture.at(2023, 2, 1)
        c.apply([Fixture.incident(at: t), Fixture.incident("SKYEN", at: t), Fixture.incident("MOBILE", at: t)])
        let day = Fixture.date(2023, 2, 1)
        let r = try c.report(query(.incidents, day, day, [.site], sites: ["MOBILE", "SKYEN"]))
        #expect(r.rows.map(\.keys) == [["SKYEN"], ["MOBILE"]] && r.total == 2)
        #expect(try c.report(query(.incidents, day, day, [], sites: ["H17"])).total == 1)
    }

    @Test("Table 2 and 3: incidents by kind and victim gender; the scale travels, counts stay measured")
    func table2() throws {
        var c = Fixture.counters()
        let table: [(IncidentKind, Int, Int)] = [(.violence, 9, 7), (.theft, 2, 2), (.threat, 4, 6)]
        var minute = 0
        for (kind, men, women) in table {
            for (gender, n) in [(Gender.male, men), (.female, women)] {
                for _ in 0..<n {
                    minute += 97
                    c.apply(Fixture.incident(at: Fixture.at(2022, 12, 18) + Int64(minute) * 60_000,
                                             kind: kind, victim: gender))
                }
            }
        }
        // Outside the period or the site: not counted.
        c.apply([Fixture.incident(at: Fixture.at(2022, 12, 17, 23, 59), kind: .violence),
                 Fixture.incident(at: Fixture.at(2023, 1, 19, 0, 0), kind: .violence),
                 Fixture.incident("SKYEN", at: Fixture.at(2023, 1, 1), kind: .rape, victim: .female)])
        let q = ReportQuery(measure: .incidents, from: Fixture.date(2022, 12, 18),
                            to: Fixture.date(2023, 1, 18), groupBy: [.incidentKind, .victimGender],
                            sites: ["H17"], scale: 12)
        let r = try c.report(q)
        #expect(r.rows.map(\.keys) == [["violence", "male"], ["violence", "female"], ["theft", "male"],
                                       ["theft", "female"], ["threat", "male"], ["threat", "female"]])
        #expect(r.rows.map(\.count) == [9, 7, 2, 2, 4, 6])
        #expect(r.total == 30)
        #expect(r.query.scale == 12)
        let byGender = try c.rows(ReportQuery(measure: .incidents, from: q.from, to: q.to,
                                              groupBy: [.victimGender], sites: ["H17"]))
        #expect(byGender == [["male"]: 15, ["female"]: 15])
    }

    @Test("a report with millions of possible groups keeps only those that occur, in the same order")
    func sparseGroups() throws {
        var c = Fixture.counters()
        let substances: [Substance] = [.heroin, .cocaine, .crack]
        for i in 0..<300 {
            let t = Fixture.at(2023, 3, 1 + i % 20, i % 24, i % 60)
            c.apply(Fixture.intake(at: t, municipality: UInt32(100 + i % 7 * 50),
                                   substance: substances[i % 3], route: i % 2 == 0 ? .injection : .smoking))
        }
        let dims: [Dimension] = [.date, .municipality, .hour, .substance, .route]
        let from = Fixture.date(2023, 3, 1), to = Fixture.date(2023, 3, 31)
        let sparse = try c.report(query(from, to, dims))
        // Per date: 1,000 municipalities × 24 hours × 11 substances × 6 routes: sparse.
        #expect(1_000 * 24 * 11 * 6 > ReportScan.countCells)
        #expect(sparse.rows.reduce(0) { $0 + $1.count } == 300 && sparse.total == 300)
        #expect(sparse.rows.map(\.keys) == sparse.rows.map(\.keys).sorted { a, b in
            (a[0], Int(a[1])!, a[2], Substance(label: a[3])!.rawValue, Route(label: a[4])!.rawValue)
                < (b[0], Int(b[1])!, b[2], Substance(label: b[3])!.rawValue, Route(label: b[4])!.rawValue)
        })
        // Regrouped by date alone, it agrees with the dense table.
        var perDate: [[String]: UInt64] = [:]
        for row in sparse.rows { perDate[[row.keys[0]], default: 0] += row.count }
        #expect(try c.rows(query(from, to, [.date])) == perDate)
    }
}
