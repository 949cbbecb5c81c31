import DCRModel
import Testing
@testable import DCRCounters

/// `ReportSnapshot`: what a report is computed on, off the lock, while events go on arriving.
@Suite("The snapshot a report is computed on")
struct ReportSnapshotTests {
    @Test("it answers every report as the counters do, distinct clients included, and is not touched by later events",
          arguments: [Measure.intakes, .distinctClients, .incidents])
    func sameAnswers(measure: Measure) throws {
        var c = Fixture.counters()
        for day in 0..<40 {
            c.apply(Fixture.intake(at: Fixture.at(2024, 3, 1 + day % 28, 9 + day % 10), client: "c\(day % 9)"))
            if day % 3 == 0 { c.apply(Fixture.incident("SKYEN", at: Fixture.at(2024, 3, 2 + day % 20))) }
        }
        let query = ReportQuery(measure: measure, from: Fixture.date(2024, 1, 1), to: Fixture.date(2024, 12, 31),
                                groupBy: [.date, .site])
        let copy = c.reportSnapshot
        let before = try c.report(query)
        #expect(try copy.report(query) == before)
        #expect(copy.counters.clientCount == c.clientCount)
        c.apply(Fixture.intake(at: Fixture.at(2024, 3, 5, 10), client: "someone new"))
        c.apply(Fixture.incident("SKYEN", at: Fixture.at(2024, 3, 5, 11)))
        #expect(try copy.report(query) == before, "the copy is a snapshot")
        #expect(try c.report(query) != before)
    }

    @Test("it leaves the live windows and booths out: only the counters answer load")
    func noLiveState() {
        var c = Fixture.counters()
        c.apply(Fixture.intake(at: Fixture.at(2024, 3, 1, 9), booth: 3))
        let copy = c.reportSnapshot
        #expect(copy.counters.windows.isEmpty && copy.counters.booths.isEmpty)
        #expect(!c.windows.isEmpty && !c.booths.isEmpty)
    }

    @Test("betweenDays runs once before each day of the period that has events")
    func betweenDaysPerDay() throws {
        var c = Fixture.counters()
        for d in [1, 4, 9, 20] { c.apply(Fixture.intake(at: Fixture.at(2024, 3, d))) }
        var calls = 0
        _ = try c.report(ReportQuery(measure: .intakes, from: Fixture.date(2024, 3, 1), to: Fixture.date(2024, 3, 10),
                                     groupBy: [.date]), betweenDays: { calls += 1 })
        #expect(calls == 3)
    }
}
