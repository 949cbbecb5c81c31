import DCRModel
import DCRStore
import Foundation
import GRDB
import Testing

@Suite("A constraint of the store's schema")
struct ConstraintTests {
    /// Adds `CHECK (site <> 'BROKEN')` to the events table, the way SQLite allows a CHECK to be
    /// added (writable_schema; no stored row breaks it), so that an event can break a constraint
    /// other than the event_id's uniqueness.
    static func addSiteCheck(_ dir: TempDirectory) throws {
        let queue = try DatabaseQueue(path: dir.file("events.sqlite"))
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA writable_schema = ON")
            try db.execute(sql: """
                UPDATE sqlite_schema SET sql = replace(sql, 'site TEXT NOT NULL', 'site TEXT NOT NULL CHECK (site <> ''BROKEN'')')
                WHERE type = 'table' AND name = 'events'
                """)
            try db.execute(sql: "PRAGMA writable_schema = OFF")
        }
        try queue.close()
    }

    @Test("breaking it is a refusal, never a duplicate; the rest of the batch is stored")
    func refusedNotDuplicate() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        try Fixtures.openStore(dir).close()
        try Self.addSiteCheck(dir)
        let logs = LogRecorder()
        let store = try Fixtures.openStore(dir, logger: logs.logger())
        defer { store.close() }

        // One batch: a good event, the one that breaks the CHECK, another good one.
        store.setWriterStalledForTesting(true)
        let good = Fixtures.intake(), later = Fixtures.intake(1)
        var broken = Fixtures.intake(2)
        broken.header.site = "BROKEN"
        let outcomes = OutcomeLog()
        store.append(good, receivedAtMs: 1) { outcomes.record(0, $0) }
        store.append(broken, receivedAtMs: 2) { outcomes.record(1, $0) }
        store.append(later, receivedAtMs: 3) { outcomes.record(2, $0) }
        store.setWriterStalledForTesting(false)
        #expect(await eventually { outcomes.count == 3 })

        let answered = outcomes.inOrder
        #expect(answered[0] == .stored && answered[2] == .stored, "the others in its batch: \(answered)")
        #expect(store.statistics.commits >= 1)
        guard case .refused(let reason) = answered[1] else {
            Issue.record("a CHECK violation must be refused, got \(answered[1])")
            return
        }
        #expect(reason.contains("CHECK constraint failed"), "reason: \(reason)")
        #expect(try !store.contains(broken.id))
        #expect(try store.contains(good.id) && store.contains(later.id))
        #expect(store.statistics.refused == 1 && store.statistics.duplicates == 0)
        #expect(logs.count(containing: "the store refused an event") == 1)
        // A resend is refused again, not taken for a duplicate of something stored.
        guard case .refused = await store.append(broken, receivedAtMs: 4) else {
            Issue.record("a resend must be refused again")
            return
        }
    }
}
