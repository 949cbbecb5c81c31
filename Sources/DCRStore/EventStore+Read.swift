import DCRModel
import Foundation
import GRDB

extension EventStore {
    /// Calls `body` with every stored event, ordered by `occurred_at_ms` then storage order,
    /// rebuilt from the columns (not from `encoded`), so counters can be rebuilt at start.
    ///
    /// Runs on the caller's thread and holds the connection for its whole run, so appends wait
    /// until it is done: call it at start-up, before accepting events. Throws
    /// `StoreError.unreadableRow` for a row that is not a valid event, or whatever `body` throws.
    public func replay(_ body: (Event) throws -> Void) throws -> ReplaySummary {
        let queue = try openQueue()
        let started = clock.now
        let count = try queue.read { db in
            var count = 0
            let statement = try db.makeStatement(sql: StoreSchema.replaySQL)
            let rows = try Row.fetchCursor(statement)
            while let row = try rows.next() {
                try body(EventColumns.event(from: row))
                count += 1
            }
            return count
        }
        return ReplaySummary(count: count, duration: clock.now - started)
    }

    /// Whether an event with this id is stored. For tests and diagnostics; the append path
    /// finds duplicates by itself.
    public func contains(_ id: EventID) throws -> Bool {
        try openQueue().read { db in
            try Bool.fetchOne(db, sql: "SELECT 1 FROM events WHERE event_id = ?",
                              arguments: [Data(id.bytes)]) ?? false
        }
    }

    private func openQueue() throws -> DatabaseQueue {
        guard let queue = database.withLock({ $0 }) else {
            throw StoreError.cannotOpen(path: path, reason: "the store is closed")
        }
        return queue
    }
}
