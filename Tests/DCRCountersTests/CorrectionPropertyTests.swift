import DCRModel
import Testing
@testable import DCRCounters

/// Acceptance 1 at the counters: random events and random corrections, counted live (remove the
/// old state, apply the new) against a recount from the corrected event list (what replay
/// feeds a restarted daemon). Every report and the live view must agree, booth occupancy aside
/// (it is not corrected, by contract).
@Suite("Corrections: live counters equal a recount of the corrected events")
struct CorrectionPropertyTests {
    struct Rng {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func pick<T>(_ xs: [T]) -> T { xs[below(xs.count)] }
    }

    static let now = Fixture.at(2024, 3, 15, 18)
    static let sites = ["H17", "SKYEN", "MOBILE"]

    static func randomEvent(_ n: Int, _ rng: inout Rng, kind: Int? = nil, id: EventID? = nil) -> Event {
        let at = now - Int64(rng.below(12 * 86_400)) * 1000
        let header = EventHeader(id: id ?? EventID(high: 1, low: UInt64(n)), site: rng.pick(sites), occurredAtMs: at,
                                 booth: UInt32(rng.below(3)))
        let client = Fixture.client("c\(rng.below(15))")
        switch kind ?? rng.below(5) {
        case 0:
            return .intake(Intake(header: header, client: client, gender: rng.pick(Gender.allCases),
                                  age: UInt32(rng.pick([0, 17, 25, 35, 45, 55, 70])), municipality: UInt32(rng.pick([0, 101, 147])),
                                  substance: rng.pick(Substance.allCases), route: rng.pick(Route.allCases)))
        case 1:
            return .boothRelease(BoothRelease(header: header))
        case 2:
            return .incident(Incident(header: header, kind: rng.pick([.violence, .overdose, .theft]),
                                      victimGender: rng.pick(Gender.allCases), victimRole: .client))
        case 3:
            return .referral(Referral(header: header, client: client, gender: rng.pick(Gender.allCases),
                                      target: rng.pick([.housing, .drugTreatment]), scope: rng.pick(ReferralScope.allCases),
                                      accepted: rng.pick(ReferralAcceptance.allCases)))
        default:
            return .turnAway(TurnAway(header: header, reason: rng.pick([.firstTimeUser, .roomFull, .intoxicated]),
                                      gender: rng.pick(Gender.allCases), age: UInt32(rng.pick([0, 16, 30]))))
        }
    }

    static let kindNumber: [EventKind: Int] = [.intake: 0, .boothRelease: 1, .incident: 2, .referral: 3, .turnAway: 4]

    static let queries: [ReportQuery] = {
        let from = Fixture.date(2024, 3, 1), to = Fixture.date(2024, 3, 15)
        return [
            ReportQuery(measure: .intakes, from: from, to: to, groupBy: [.site, .date, .gender, .ageBand]),
            ReportQuery(measure: .intakes, from: from, to: to, groupBy: [.substance, .route, .municipality, .hour]),
            ReportQuery(measure: .distinctClients, from: from, to: to, groupBy: [.site, .gender]),
            ReportQuery(measure: .incidents, from: from, to: to, groupBy: [.incidentKind, .victimGender, .site]),
            ReportQuery(measure: .referrals, from: from, to: to, groupBy: [.referralTarget, .referralScope, .referralAccepted]),
            ReportQuery(measure: .turnAways, from: from, to: to, groupBy: [.site, .turnAwayReason, .ageBand, .date]),
        ]
    }()

    /// The live view without booth occupancy, which corrections do not change.
    static func view(_ c: LiveCounters) -> [SiteLoad] {
        c.load(site: nil, nowMs: now).map { var s = $0; s.boothsTaken = 0; return s }
    }

    @Test("300 events and 120 random voids, amends and referral outcomes, 25 seeds", arguments: 1...25)
    func liveEqualsRecount(seed: UInt64) throws {
        var rng = Rng(state: seed)
        var live = Fixture.counters()
        var originals: [Event] = []
        var states: [EventID: CorrectionState] = [:]
        var n = 0
        for step in 0..<420 {
            if step < 60 || rng.below(7) < 4 || originals.isEmpty {
                let e = Self.randomEvent(n, &rng)
                n += 1
                originals.append(e)
                live.apply(e, nowMs: Self.now)
                continue
            }
            let target = rng.pick(originals)
            var state = states[target.id] ?? CorrectionState()
            guard let before = state.effective(target) else { continue }  // voided: the daemon refuses
            let header = EventHeader(id: EventID(high: 2, low: UInt64(step)), site: "H17", occurredAtMs: Self.now)
            let correction: Event
            switch rng.below(3) {
            case 0:
                correction = .voiding(Voiding(header: header, targetID: target.id, reason: .enteredTwice))
            case 1 where before.kind.isAmendable:
                var corrected = Self.randomEvent(n, &rng, kind: Self.kindNumber[before.kind], id: target.id)
                n += 1
                corrected.header.id = target.id
                correction = .amend(Amend(header: header, targetID: target.id, reason: .wrongDetails, corrected: corrected))
            default:
                guard before.kind == .referral else { continue }
                correction = .referralOutcome(ReferralOutcome(header: header, referralID: target.id,
                                                              accepted: rng.pick(ReferralAcceptance.allCases)))
            }
            state.apply(correction)
            states[target.id] = state
            live.remove(before, nowMs: Self.now)
            if let after = state.effective(target) { live.apply(after, nowMs: Self.now) }
        }

        // The recount: what EventStore.replay yields, in time order.
        var recount = Fixture.counters()
        for e in originals.sorted(by: { $0.header.occurredAtMs < $1.header.occurredAtMs }) {
            if let s = states[e.id] {
                recount.notice(e)
                if let effective = s.effective(e) { recount.apply(effective, nowMs: Self.now) }
            } else {
                recount.apply(e, nowMs: Self.now)
            }
        }
        #expect(!states.isEmpty)
        for q in Self.queries {
            #expect(try live.report(q) == recount.report(q), "\(q.measure) by \(q.groupBy)")
        }
        #expect(Self.view(live) == Self.view(recount))
        #expect(live.historyEventCount == recount.historyEventCount)

        // And an independent count: corrected intakes per site, straight from the list.
        let effective = originals.compactMap { e in states[e.id].map { $0.effective(e) } ?? e }
        let bySite = try live.report(ReportQuery(measure: .intakes, from: Fixture.date(2024, 3, 1),
                                                 to: Fixture.date(2024, 3, 15), groupBy: [.site]))
        for row in bySite.rows {
            #expect(row.count == UInt64(effective.filter { $0.kind == .intake && $0.header.site == row.keys[0] }.count))
        }
        #expect(bySite.total == UInt64(effective.filter { $0.kind == .intake }.count))
    }
}
