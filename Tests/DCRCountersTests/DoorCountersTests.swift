import DCRModel
import Testing
@testable import DCRCounters

/// Turn-aways in reports and the live view; suspensions in acknowledgements.
@Suite("Turn-aways and suspensions in the counters")
struct DoorCountersTests {
    static func turnAway(_ site: String = "H17", at: Int64, reason: TurnAwayReason, age: UInt32 = 0,
                         gender: Gender = .unspecified, n: UInt64 = 0) -> Event {
        .turnAway(TurnAway(header: EventHeader(id: EventID(high: UInt64(bitPattern: at), low: 1_000 + n), site: site,
                                               occurredAtMs: at),
                           reason: reason, client: nil, gender: gender, age: age))
    }

    static func suspension(_ site: String = "H17", id: UInt64, client: String, from: Int64, until: Int64,
                           allSites: Bool = false) -> Suspension {
        Suspension(header: EventHeader(id: EventID(high: 77, low: id), site: site, occurredAtMs: from),
                   client: Fixture.client(client), fromMs: from, untilMs: until, reason: .violence,
                   allSites: allSites)
    }

    static func intake(_ site: String = "H17", at: Int64, client: String) -> Intake {
        guard case .intake(let i) = Fixture.intake(site, at: at, client: client) else { fatalError("not an intake") }
        return i
    }

    @Test("turn-aways are reported by reason, site, period and age band; never as intakes")
    func turnAwaysReported() throws {
        var c = Fixture.counters()
        let day = Fixture.at(2024, 3, 1, 12)
        c.apply([
            Self.turnAway(at: day, reason: .firstTimeUser, age: 17, n: 1),
            Self.turnAway(at: day + 60_000, reason: .firstTimeUser, age: 19, n: 2),
            Self.turnAway("SKYEN", at: day + 120_000, reason: .roomFull, age: 40, n: 3),
            Self.turnAway(at: Fixture.at(2024, 3, 2, 12), reason: .intoxicated, n: 4),
        ])
        let byReason = try c.report(ReportQuery(measure: .turnAways, from: Fixture.date(2024, 3, 1),
                                                to: Fixture.date(2024, 3, 2), groupBy: [.turnAwayReason]))
        #expect(byReason.rows == [ReportRow(keys: ["first-time-user"], count: 2), ReportRow(keys: ["intoxicated"], count: 1),
                                  ReportRow(keys: ["room-full"], count: 1)])
        #expect(byReason.total == 4)
        let bySiteAndDay = try c.report(ReportQuery(measure: .turnAways, from: Fixture.date(2024, 3, 1),
                                                    to: Fixture.date(2024, 3, 1), groupBy: [.site, .ageBand]))
        #expect(bySiteAndDay.rows == [ReportRow(keys: ["H17", "under-18"], count: 1), ReportRow(keys: ["H17", "18-29"], count: 1),
                                      ReportRow(keys: ["SKYEN", "40-49"], count: 1)])
        let intakes = try c.report(ReportQuery(measure: .intakes, from: Fixture.date(2024, 3, 1), to: Fixture.date(2024, 3, 2)))
        #expect(intakes.total == 0)
        #expect(throws: StatusError.self) {
            try c.report(ReportQuery(measure: .turnAways, from: Fixture.date(2024, 3, 1), to: Fixture.date(2024, 3, 1),
                                     groupBy: [.substance]))
        }
        let load = c.load(site: nil, nowMs: day + 180_000)
        #expect(load.map(\.turnAwaysToday) == [2, 1, 0])
        #expect(load.map(\.intakesToday) == [0, 0, 0])
        #expect(c.total(.turnAway) == 4)
    }

    @Test("a suspension holds from its start to its end at its site (or every site); a lift ends it, in either order")
    func suspensionsDecide() {
        let t = Fixture.at(2024, 3, 1, 12)
        let hour: Int64 = 3_600_000
        var c = Fixture.counters()
        c.apply(.suspension(Self.suspension(id: 1, client: "c1", from: t, until: t + 2 * hour)), nowMs: t)
        #expect(c.suspendedUntil(Self.intake(at: t - 1, client: "c1")) == 0, "before it starts")
        #expect(c.suspendedUntil(Self.intake(at: t, client: "c1")) == t + 2 * hour)
        #expect(c.suspendedUntil(Self.intake("SKYEN", at: t + 1, client: "c1")) == 0, "another site")
        #expect(c.suspendedUntil(Self.intake(at: t + 1, client: "c2")) == 0, "another client")
        #expect(c.suspendedUntil(Self.intake(at: t + 2 * hour, client: "c1")) == 0, "the end is exclusive")
        #expect(c.knowsSuspension(EventID(high: 77, low: 1)))
        #expect(!c.knowsSuspension(EventID(high: 77, low: 2)))

        c.apply(.suspension(Self.suspension(id: 2, client: "c3", from: t, until: t + hour, allSites: true)), nowMs: t)
        #expect(c.suspendedUntil(Self.intake("MOBILE", at: t + 1, client: "c3")) == t + hour)

        let lift = SuspensionLift(header: EventHeader(id: EventID(high: 78, low: 1), site: "H17", occurredAtMs: t + hour),
                                  suspensionID: EventID(high: 77, low: 1))
        c.apply(.suspensionLift(lift), nowMs: t + hour)
        #expect(c.suspendedUntil(Self.intake(at: t + hour - 1, client: "c1")) == t + hour, "lifted: ends at the lift")
        #expect(c.suspendedUntil(Self.intake(at: t + hour, client: "c1")) == 0)

        // Replay order is by occurrence: a lift stamped by a clock behind may come first.
        var replayed = Fixture.counters()
        replayed.apply(.suspensionLift(lift), nowMs: t)
        replayed.apply(.suspension(Self.suspension(id: 1, client: "c1", from: t, until: t + 2 * hour)), nowMs: t)
        #expect(replayed.suspendedUntil(Self.intake(at: t + hour - 1, client: "c1")) == t + hour)
        #expect(replayed.suspendedUntil(Self.intake(at: t + hour, client: "c1")) == 0)
        #expect(c.total(.suspension) == 2 && c.total(.suspensionLift) == 1)
        #expect(c.historyEventCount == 0, "suspensions are no counts")
    }
}
