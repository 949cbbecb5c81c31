import DCRModel
import DCRStore
import Foundation
import GRDB
import Testing

/// Corrections in the store: originals stay, replay yields the corrected state, history lists
/// an event with its corrections.
@Suite("Corrections in the store")
struct CorrectionStoreTests {
    static let by = Corrector(name: "booth-terminal H17/3", role: .terminal)

    @Test("replay folds voids, amends and outcomes in storage order; originals and corrections stay stored")
    func replayCountsTheCorrectedState() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let a = Fixtures.intake(0), b = Fixtures.intake(1_000)
        let referral = Event.referral(Referral(header: Fixtures.header(2_000), client: Fixtures.pseudonym(3),
                                               gender: .male, target: .housing, scope: .offsite))
        var corrected = Fixtures.intake(500, client: Fixtures.pseudonym(9), id: a.id)
        corrected.header.site = "SKYEN"
        let amend = Event.amend(Amend(header: Fixtures.header(5_000), targetID: a.id, reason: .wrongClient,
                                      corrected: corrected, by: Self.by))
        let void = Event.voiding(Voiding(header: Fixtures.header(6_000), targetID: b.id, reason: .enteredTwice, by: Self.by))
        let outcome = Event.referralOutcome(ReferralOutcome(header: Fixtures.header(7_000), referralID: referral.id,
                                                            accepted: .accepted, by: Self.by))
        do {
            let store = try Fixtures.openStore(dir)
            defer { store.close() }
            for e in [a, b, referral, amend, void, outcome] { #expect(await store.append(e, receivedAtMs: 42) == .stored) }
        }
        let store = try Fixtures.openStore(dir)
        defer { store.close() }
        var counted: [Event] = [], superseded: [Event] = []
        let summary = try store.replay({ counted.append($0) }, superseded: { superseded.append($0) })
        var accepted = referral
        if case .referral(var r) = accepted { r.accepted = .accepted; accepted = .referral(r) }
        #expect(counted == [corrected, accepted])
        #expect(superseded == [a, b, referral])
        #expect(summary.count == 2)

        let history = try #require(try store.history(of: b.id))
        #expect(history.original.event == b)
        #expect(history.corrections.map(\.event) == [void])
        #expect(history.corrections.first?.receivedAtMs == 42)
        #expect(history.state.effective(b) == nil)
        let amended = try #require(try store.history(of: a.id))
        #expect(amended.corrections.map(\.event) == [amend], "the amend comes back with its corrected event and who made it")
        #expect(try store.history(of: EventID.random()) == nil)

        let queue = try DatabaseQueue(path: dir.file("events.sqlite"))
        let rows = try await queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM events") }
        #expect(rows == 6, "append-only: the originals and the corrections are all rows")
        let who = try queue.read { db in
            try Row.fetchOne(db, sql: "SELECT corrected_by, corrected_by_role, correction_reason FROM events WHERE kind = 8")
        }
        #expect((who?[0] as String?) == "booth-terminal H17/3")
        #expect((who?[1] as Int?) == 1)
        #expect((who?[2] as Int?) == 2)
    }
}
