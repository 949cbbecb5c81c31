import DCRClient
import DCRModel
import DCRWire
import Foundation
import Testing

/// Void, Amend and ReferralOutcome through the real dcrd: stored as events of their own,
/// counted in the corrected state, refused with a clear message where invalid, and the same
/// after a restart and after SIGKILL.
@Suite("Corrections, through the real dcrd", .serialized)
struct CorrectionTests {
    static let now = DaemonProcess.testClockStartMs
    static let hour: Int64 = 3_600_000
    static let day = LocalDate(year: 2026, month: 3, day: 13)

    static func header(_ site: String = "H17", _ atMs: Int64 = now - 60_000, booth: UInt32 = 0) -> EventHeader {
        EventHeader(id: .random(), site: site, occurredAtMs: atMs, booth: booth)
    }

    static func intake(_ client: String = "client-a", at: Int64 = now - 120_000, site: String = "H17",
                       gender: Gender = .male, age: UInt32 = 30) -> Event {
        .intake(Intake(header: header(site, at, booth: 1), client: .code(ClientCode(client)), gender: gender,
                       age: age, substance: .heroin, route: .smoking))
    }

    static func void(_ target: EventID, reason: CorrectionReason = .enteredTwice) -> Event {
        .voiding(Voiding(header: header(), targetID: target, reason: reason))
    }

    static func report(_ c: DaemonConnection, _ measure: Measure, _ by: [DCRModel.Dimension]) async throws -> Report {
        guard case .report(let r) = try await c.send(.report(ReportQuery(measure: measure, from: day, to: day, groupBy: by))).body
        else { throw HarnessError("no report") }
        return r
    }

    static func h17(_ c: DaemonConnection) async throws -> SiteLoad {
        guard case .load(let l) = try await c.send(.load(site: "H17")).body, let s = l.sites.first else { throw HarnessError("no load") }
        return s
    }

    @Test("a void stops an intake counting; the original stays; history shows both with the terminal's name and role")
    func voidAnIntake() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let t = try await DaemonConnection.connect(to: .unix(path: daemon.socketPath),
                                                   hello: Hello(clientName: "booth-terminal H17/3", role: .terminal))
        let m = try await daemon.connect(role: .monitor)
        let a = Self.intake(), b = Self.intake("client-b")
        #expect(try await t.send(.event(a)).body == .ack(duplicate: false))
        #expect(try await t.send(.event(b)).body == .ack(duplicate: false))
        #expect(try await Self.h17(m).intakesToday == 2)

        let void = Self.void(b.id)
        #expect(try await t.send(.event(void)).body == .ack(duplicate: false))
        #expect(try await t.send(.event(void)).body == .ack(duplicate: true), "a resent void is a duplicate")
        #expect(try await Self.h17(m).intakesToday == 1)
        #expect(try await Self.report(m, .intakes, [.site]).total == 1)
        #expect(try await Self.report(m, .distinctClients, []).total == 1)

        guard case .history(let h) = try await m.send(.history(b.id)).body else { Issue.record("no history"); return }
        #expect(h.entries.map(\.id) == [b.id, void.id])
        #expect(h.entries.map(\.kind) == [.intake, .void])
        #expect(h.entries[1].correctedBy == Corrector(name: "booth-terminal H17/3", role: .terminal))
        #expect(h.entries[1].reason == .enteredTwice)
        #expect(!h.counted && h.countedAs.isEmpty)
        #expect(!h.entries.contains { $0.summary.contains("client-b") })

        let again = try await t.send(.event(Self.void(b.id)))
        #expect(again.error == StatusError(.failedPrecondition, "void.target_id: \(b.id) is already voided"))
        let unknown = EventID.random()
        #expect(try await t.send(.event(Self.void(unknown))).error
                == StatusError(.notFound, "void.target_id: no stored event has the id \(unknown)"))
        #expect(try await t.send(.event(Self.void(void.id))).error
                == StatusError(.invalidArgument, "void.target_id: \(void.id) is a void; correct the event itself, not a correction"))
        #expect(try await t.send(.event(.voiding(Voiding(header: Self.header(), targetID: a.id, reason: .unspecified)))).error
                == StatusError(.invalidArgument, "void.reason: required"))

        let cli = try await daemon.dcrctl(["history", b.id.description])
        #expect(cli.status == 0, "\(cli.stderr)")
        #expect(cli.stdout.contains("(void)") && cli.stdout.contains("by booth-terminal H17/3 as terminal"), "\(cli.stdout)")
        #expect(cli.stdout.contains("counts: no (voided)"))
        await t.close()
        await m.close()
        #expect(try await daemon.stop() == 0)
    }

    @Test("an amend counts the corrected fields; one that changes the kind is refused")
    func amendAnIntake() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let t = try await daemon.connect(role: .terminal)
        let m = try await daemon.connect(role: .monitor)
        let a = Self.intake(gender: .male, age: 30)
        #expect(try await t.send(.event(a)).body == .ack(duplicate: false))
        var corrected = Self.intake("client-z", at: a.header.occurredAtMs, site: "SKYEN", gender: .female, age: 52)
        corrected.header.id = a.id
        let amend = Event.amend(Amend(header: Self.header(), targetID: a.id, reason: .wrongClient, corrected: corrected))
        #expect(try await t.send(.event(amend)).body == .ack(duplicate: false))
        let byGender = try await Self.report(m, .intakes, [.site, .gender, .ageBand])
        #expect(byGender.rows == [ReportRow(keys: ["SKYEN", "female", "50-59"], count: 1)])
        #expect(try await Self.h17(m).intakesToday == 0)

        let referral = Event.referral(Referral(header: Self.header(), client: .code(ClientCode("client-z")), gender: .male, target: .housing))
        var asReferral = referral
        asReferral.header.id = a.id
        let kindChange = try await t.send(.event(.amend(Amend(header: Self.header(), targetID: a.id, reason: .wrongDetails, corrected: asReferral))))
        #expect(kindChange.error == StatusError(.invalidArgument,
            "amend.corrected: \(a.id) is a intake, not a referral; an amend keeps the kind (void the event and send a new one instead)"))

        // A referral's outcome, known later.
        #expect(try await t.send(.event(referral)).body == .ack(duplicate: false))
        let outcome = Event.referralOutcome(ReferralOutcome(header: Self.header(), referralID: referral.id, accepted: .accepted))
        #expect(try await t.send(.event(outcome)).body == .ack(duplicate: false))
        let accepted = try await Self.report(m, .referrals, [.referralTarget, .referralAccepted])
        #expect(accepted.rows == [ReportRow(keys: ["housing", "yes"], count: 1)])
        #expect(try await t.send(.event(.referralOutcome(ReferralOutcome(header: Self.header(), referralID: a.id, accepted: .declined)))).error
                == StatusError(.invalidArgument, "referral_outcome.referral_id: \(a.id) is a intake, not a referral"))
        await t.close()
        await m.close()
        #expect(try await daemon.stop() == 0)
    }

    @Test("a terminal may not void an event older than void-window (configurable); the admin role may")
    func voidWindow() async throws {
        let daemon = try DaemonProcess(configuration: "void-window 30")
        defer { daemon.cleanUp() }
        try await daemon.start()
        let t = try await daemon.connect(role: .terminal)
        let old = Self.intake(at: Self.now - 40 * 60_000), recent = Self.intake(at: Self.now - 20 * 60_000)
        try await daemon.sendAll([old, recent])
        #expect(try await t.send(.event(Self.void(recent.id))).body == .ack(duplicate: false))
        let refused = try await t.send(.event(Self.void(old.id)))
        #expect(refused.code == .permissionDenied)
        #expect(refused.error?.message.hasPrefix("void.target_id: \(old.id) happened 0.") == true, "\(refused)")
        #expect(refused.error?.message.hasSuffix("ago; a terminal corrects events up to 0.5 h old (void-window); older ones need the admin role") == true,
                "\(refused)")
        let viaCLI = try await daemon.dcrctl(["send", "void", "--site", "H17", "--target-id", old.id.description,
                                              "--reason", "wrong-client", "--at-ms", String(Self.now)])
        #expect(viaCLI.status != 0 && viaCLI.stderr.contains("need the admin role"), "\(viaCLI.stderr)")
        let asAdmin = try await daemon.dcrctl(["send", "void", "--admin", "--site", "H17", "--target-id", old.id.description,
                                               "--reason", "wrong-client", "--at-ms", String(Self.now)])
        #expect(asAdmin.status == 0, "\(asAdmin.stderr)")
        let m = try await daemon.connect(role: .monitor)
        #expect(try await Self.h17(m).intakesToday == 0)
        guard case .history(let h) = try await m.send(.history(old.id)).body else { Issue.record("no history"); return }
        #expect(h.entries.last?.correctedBy.role == .admin)
        await t.close()
        await m.close()
        #expect(try await daemon.stop() == 0)
    }

    @Test("random events and corrections: reports equal a recount, the same after a restart and after SIGKILL")
    func randomCorrectionsSurviveRestartAndKill() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        var rng = SplitMix64(seed: 13)
        let sites = ["H17", "SKYEN", "MOBILE"]
        var current: [EventID: Event] = [:]  // the corrected state, by the test's own bookkeeping
        var order: [EventID] = []
        let t = try await daemon.connect(role: .terminal)
        for n in 0..<400 {
            let site = sites[Int(rng.next() % 3)]
            let at = Self.now - Int64(rng.next() % 36_000) * 1000
            if n < 80 || rng.next() % 3 != 0 || order.isEmpty {
                let e: Event = rng.next() % 2 == 0
                    ? Self.intake("client-\(rng.next() % 20)", at: at, site: site, gender: rng.next() % 2 == 0 ? .male : .female,
                                  age: UInt32(18 + rng.next() % 50))
                    : .turnAway(TurnAway(header: Self.header(site, at), reason: rng.next() % 2 == 0 ? .roomFull : .firstTimeUser,
                                         age: UInt32(16 + rng.next() % 20)))
                #expect(try await t.send(.event(e)).body == .ack(duplicate: false))
                current[e.id] = e
                order.append(e.id)
                continue
            }
            let id = order[Int(rng.next() % UInt64(order.count))]
            guard let before = current[id] else { continue }
            if rng.next() % 2 == 0 {
                #expect(try await t.send(.event(Self.void(id))).body == .ack(duplicate: false))
                current[id] = nil
            } else {
                var corrected: Event
                if case .intake = before {
                    corrected = Self.intake("client-\(rng.next() % 20)", at: at, site: site, gender: .other, age: 60)
                } else {
                    corrected = .turnAway(TurnAway(header: Self.header(site, at), reason: .intoxicated, age: 40))
                }
                corrected.header.id = id
                let amend = Event.amend(Amend(header: Self.header(), targetID: id, reason: .wrongDetails, corrected: corrected))
                #expect(try await t.send(.event(amend)).body == .ack(duplicate: false))
                current[id] = corrected
            }
        }
        await t.close()
        let from = LocalDate(year: 2026, month: 3, day: 12)
        let queries = [ReportQuery(measure: .intakes, from: from, to: Self.day, groupBy: [.site, .date, .gender, .ageBand]),
                       ReportQuery(measure: .turnAways, from: from, to: Self.day, groupBy: [.site, .turnAwayReason, .ageBand]),
                       ReportQuery(measure: .distinctClients, from: from, to: Self.day, groupBy: [.site])]
        func reports() async throws -> [Report] {
            let m = try await daemon.connect(role: .monitor)
            defer { Task { await m.close() } }
            var out: [Report] = []
            for q in queries {
                guard case .report(let r) = try await m.send(.report(q)).body else { throw HarnessError("no report") }
                out.append(r)
            }
            return out
        }
        let before = try await reports()
        let kept = Array(current.values)
        // The recount, from the test's own corrected list.
        #expect(before[0].total == UInt64(kept.filter { $0.kind == .intake }.count))
        #expect(before[1].total == UInt64(kept.filter { $0.kind == .turnAway }.count))
        for row in before[0].rows {
            let n = kept.filter { e in
                guard case .intake(let i) = e else { return false }
                return i.header.site == row.keys[0] && i.gender.label == row.keys[2] && AgeBand(age: i.age).label == row.keys[3]
                    && LocalCalendar()!.localTime(ms: i.header.occurredAtMs).date.description == row.keys[1]
            }.count
            #expect(row.count == UInt64(n), "\(row.keys)")
        }
        #expect(try await daemon.stop() == 0)
        try await daemon.start()
        #expect(try await reports() == before, "after a restart")
        try await daemon.kill9()
        try await daemon.start()
        #expect(try await reports() == before, "after SIGKILL")
        #expect(try await daemon.stop() == 0)
    }
}
