import DCRModel
import Testing
@testable import DCRCounters

@Suite("Live windows per site and kind")
struct WindowTests {
    let now = Fixture.at(2023, 5, 12, 14, 30, 0)

    @Test("an event exactly 5 minutes old is outside the 5-minute window, one a second younger inside")
    func fiveMinuteEdge() {
        var c = Fixture.counters()
        c.apply(Fixture.intake(at: now - 300_000), nowMs: now)
        #expect(c.window(site: "H17", kind: .intake, seconds: 300, nowMs: now) == 0)
        #expect(c.window(site: "H17", kind: .intake, seconds: 301, nowMs: now) == 1)
        c.apply(Fixture.intake(at: now - 299_000), nowMs: now)
        #expect(c.window(site: "H17", kind: .intake, seconds: 300, nowMs: now) == 1)
        // Exact to the second: it leaves the window as the clock enters its 300th second.
        #expect(c.window(site: "H17", kind: .intake, seconds: 300, nowMs: now + 999) == 1)
        #expect(c.window(site: "H17", kind: .intake, seconds: 300, nowMs: now + 1_000) == 0)
    }

    @Test("1 s, 1 min, 5 min, 15 min, 1 h and 24 h windows each see what is inside them")
    func allHorizons() {
        var c = Fixture.counters()
        let ages: [Int64] = [0, 30_000, 200_000, 600_000, 3_000_000, 80_000_000]
        for age in ages { c.apply(Fixture.incident(at: now - age), nowMs: now) }
        let horizons = [1, 60, 300, 900, 3_600, 86_400]
        let seen = horizons.map { c.window(site: "H17", kind: .incident, seconds: $0, nowMs: now) }
        #expect(seen == [1, 2, 3, 4, 5, 6])
        #expect(c.window(site: "H17", kind: .intake, seconds: 86_400, nowMs: now) == 0)
        #expect(c.window(site: "SKYEN", kind: .incident, seconds: 86_400, nowMs: now) == 0)
        #expect(c.window(site: "NOWHERE", kind: .incident, seconds: 86_400, nowMs: now) == 0)
    }

    @Test("windows move on with time without any event arriving")
    func windowsAge() {
        var c = Fixture.counters()
        c.apply(Fixture.referral(at: now), nowMs: now)
        #expect(c.window(site: "H17", kind: .referral, seconds: 3_600, nowMs: now + 3_599_000) == 1)
        #expect(c.window(site: "H17", kind: .referral, seconds: 3_600, nowMs: now + 3_600_000) == 0)
        #expect(c.window(site: "H17", kind: .referral, seconds: 86_400, nowMs: now + 3_600_000) == 1)
        // A week later, nothing is left anywhere.
        #expect(c.window(site: "H17", kind: .referral, seconds: 86_400, nowMs: now + 7 * 86_400_000) == 0)
    }

    @Test("a late event counts in the windows only if still inside them, and always on its own day")
    func lateEvents() throws {
        var c = Fixture.counters()
        let yesterday = Fixture.at(2023, 5, 11, 22, 15)
        c.apply(Fixture.intake(at: yesterday), nowMs: now)
        c.apply(Fixture.intake(at: now - 2 * 3_600_000), nowMs: now)
        #expect(c.window(site: "H17", kind: .intake, seconds: 3_600, nowMs: now) == 0)
        #expect(c.window(site: "H17", kind: .intake, seconds: 86_400, nowMs: now) == 2)
        let byDate = try c.rows(ReportQuery(measure: .intakes, from: Fixture.date(2023, 5, 1),
                                            to: Fixture.date(2023, 5, 31), groupBy: [.date]))
        #expect(byDate == [["2023-05-11"]: 1, ["2023-05-12"]: 1])
        #expect(c.load(site: "H17", nowMs: now).first?.intakesToday == 1)
    }

    @Test("a terminal clock running ahead counts in the current second")
    func futureEvents() {
        var c = Fixture.counters()
        c.apply(Fixture.intake(at: now + 120_000), nowMs: now)
        #expect(c.window(site: "H17", kind: .intake, seconds: 1, nowMs: now) == 1)
    }

    @Test("totals since start count every applied event per kind, late or not")
    func totals() {
        var c = Fixture.counters()
        c.apply([Fixture.intake(at: now), Fixture.intake(at: now - 86_400_000 * 30),
                 Fixture.release(at: now, booth: 1), Fixture.incident(at: now),
                 Fixture.referral(at: now), Fixture.referral(at: now)], nowMs: now)
        #expect(c.totals == [.intake: 2, .boothRelease: 1, .incident: 1, .referral: 2, .turnAway: 0])
        #expect(c.historyEventCount == 5)
    }
}
