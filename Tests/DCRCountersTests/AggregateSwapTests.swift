import DCRModel
import Testing
@testable import DCRCounters

/// Retention hands the counters whole years as counts; the daemon rebuilds them outside its
/// lock (plan, build, take) so that acknowledgements go on meanwhile.
@Suite("Years kept as aggregates: built apart, swapped in")
struct AggregateSwapTests {
    /// 2019 as raw events: three intakes on 6 May at 13:xx and one on 7 May, two sites.
    static func raw2019() -> [Event] {
        [Fixture.intake(at: Fixture.at(2019, 5, 6, 13, 5), client: "a", age: 30),
         Fixture.intake(at: Fixture.at(2019, 5, 6, 13, 40), client: "b", age: 30),
         Fixture.intake(at: Fixture.at(2019, 5, 6, 13, 50), client: "a", age: 30),
         Fixture.intake("SKYEN", at: Fixture.at(2019, 5, 7, 9), client: "c", age: 52)]
    }

    /// The same year as retention keeps it.
    static let kept: RetainedAggregates = {
        var k = RetainedAggregates()
        k.years = [2019]
        let male = Int32(Gender.male.rawValue), cocaine = Int32(Substance.cocaine.rawValue)
        let injection = Int32(Route.injection.rawValue)
        k.events = [
            AggregateEvents(date: Fixture.date(2019, 5, 6), hour: 13, site: "H17", kind: .intake, gender: male, age: 30,
                            municipality: 101, substance: cocaine, route: injection, events: 3),
            AggregateEvents(date: Fixture.date(2019, 5, 7), hour: 9, site: "SKYEN", kind: .intake, gender: male, age: 52,
                            municipality: 101, substance: cocaine, route: injection, events: 1),
        ]
        k.clients = [AggregateClients(year: 2019, month: 0, site: "", gender: male, ageBand: AgeBand(age: 30).rawValue,
                                      municipality: 101, clients: 2),
                     AggregateClients(year: 2019, month: 0, site: "", gender: male, ageBand: AgeBand(age: 52).rawValue,
                                      municipality: 101, clients: 1)]
        return k
    }()

    func bySite(_ c: LiveCounters, _ year: Int) throws -> [ReportRow] {
        try c.report(ReportQuery(measure: .intakes, from: Fixture.date(year, 1, 1), to: Fixture.date(year, 12, 31),
                                 groupBy: [.site])).rows
    }

    @Test("built outside the lock and swapped in, a year reports what its raw events reported")
    func swapKeepsTheYear() throws {
        var c = Fixture.counters()
        c.apply(Self.raw2019())
        let before = try bySite(c, 2019)
        #expect(before == [ReportRow(keys: ["H17"], count: 3), ReportRow(keys: ["SKYEN"], count: 1)])

        let planned = c.planAggregates(Self.kept)
        let plan = try #require(planned)
        let built = LiveCounters.buildAggregateHistory(Self.kept, plan: plan, calendar: c.calendar)
        c.takeAggregates(Self.kept, built: built)
        #expect(try bySite(c, 2019) == before)
        #expect(c.aggregatedYears == [2019])
        let clients = ReportQuery(measure: .distinctClients, from: Fixture.date(2019, 1, 1),
                                  to: Fixture.date(2019, 12, 31), groupBy: [])
        #expect(try c.report(clients).total == 3, "two clients of 30 and one of 52, from the kept counts")
        #expect(c.planAggregates(Self.kept) == nil, "a year is taken once")
    }

    @Test("events counted between the plan and the swap are kept; a second swap of the same year changes nothing")
    func eventsMeanwhile() throws {
        var c = Fixture.counters()
        c.apply(Self.raw2019())
        let planned = c.planAggregates(Self.kept)
        let plan = try #require(planned)
        let built = LiveCounters.buildAggregateHistory(Self.kept, plan: plan, calendar: c.calendar)
        // Acknowledgements go on while the year is rebuilt.
        c.apply(Fixture.intake(at: Fixture.at(2025, 3, 3, 10)))
        c.apply(Fixture.intake("MOBILE", at: Fixture.at(2025, 3, 4, 10)))
        c.takeAggregates(Self.kept, built: built)
        c.takeAggregates(Self.kept, built: built)
        #expect(try bySite(c, 2025) == [ReportRow(keys: ["H17"], count: 1), ReportRow(keys: ["MOBILE"], count: 1)])
        #expect(try bySite(c, 2019) == [ReportRow(keys: ["H17"], count: 3), ReportRow(keys: ["SKYEN"], count: 1)])
    }

    @Test("applied in one step (the replay at start) or in three, the counters report the same")
    func oneStepEqualsThree() throws {
        var one = Fixture.counters(), three = Fixture.counters()
        one.apply(Self.raw2019())
        three.apply(Self.raw2019())
        one.applyAggregates(Self.kept)
        let planned = three.planAggregates(Self.kept)
        let plan = try #require(planned)
        three.takeAggregates(Self.kept, built: LiveCounters.buildAggregateHistory(Self.kept, plan: plan, calendar: three.calendar))
        for groupBy: [Dimension] in [[.site], [.hour], [.date], [.gender, .ageBand]] {
            let q = ReportQuery(measure: .intakes, from: Fixture.date(2019, 1, 1), to: Fixture.date(2019, 12, 31), groupBy: groupBy)
            #expect(try one.report(q).rows == three.report(q).rows, "grouped by \(groupBy)")
        }
    }
}
