import DCRModel
import Foundation
import GRDB

/// A stored event with the daemon's time of arrival.
public struct StoredEvent: Sendable, Hashable {
    public var event: Event
    public var receivedAtMs: Int64

    public init(event: Event, receivedAtMs: Int64) {
        self.event = event
        self.receivedAtMs = receivedAtMs
    }
}

/// An event and every correction of it, in storage order.
public struct StoredHistory: Sendable, Hashable {
    public var original: StoredEvent
    public var corrections: [StoredEvent]

    public init(original: StoredEvent, corrections: [StoredEvent]) {
        self.original = original
        self.corrections = corrections
    }

    /// The corrections folded: what counts of the event now.
    public var state: CorrectionState {
        var s = CorrectionState()
        for c in corrections { s.apply(c.event) }
        return s
    }
}

extension EventStore {
    /// Calls `body` with every stored event that counts, in its corrected state, ordered by
    /// `occurred_at_ms` then storage order, rebuilt from the columns, so
    /// counters can be rebuilt at start. An event a correction withdrew or replaced is passed to
    /// `superseded` as it was stored (before its corrected state, if any, goes to `body`).
    /// Corrections themselves are not passed: they are folded first, in storage order.
    ///
    /// Runs on the caller's thread and holds the connection for its whole run, so appends wait
    /// until it is done: call it at start-up, before accepting events. Throws
    /// `StoreError.unreadableRow` for a row that is not a valid event, or whatever `body` throws.
    public func replay(_ body: (Event) throws -> Void,
                       superseded: (Event) throws -> Void = { _ in }) throws -> ReplaySummary {
        let queue = try openQueue()
        let started = clock.now
        let count = try queue.read { db in
            var states: [EventID: CorrectionState] = [:]
            let corrections = try Row.fetchCursor(db.makeStatement(sql: StoreSchema.correctionsSQL))
            while let row = try corrections.next() {
                let c = try EventColumns.event(from: row)
                if let target = c.correctionTarget { states[target, default: CorrectionState()].apply(c) }
            }
            var count = 0
            let rows = try Row.fetchCursor(db.makeStatement(sql: StoreSchema.replaySQL))
            while let row = try rows.next() {
                let event = try EventColumns.event(from: row)
                if let state = states[event.id] {
                    try superseded(event)
                    guard let effective = state.effective(event) else { continue }
                    try body(effective)
                } else {
                    try body(event)
                }
                count += 1
            }
            return count
        }
        return ReplaySummary(count: count, duration: clock.now - started)
    }

    /// The event with this id and its corrections, or nil when no event has the id. For a
    /// correction's id, the correction (with no corrections of its own).
    public func history(of id: EventID) throws -> StoredHistory? {
        try openQueue().read { db in
            let key = Data(id.bytes)
            guard let row = try Row.fetchOne(db, sql: StoreSchema.eventByIDSQL, arguments: [key]) else { return nil }
            let original = StoredEvent(event: try EventColumns.event(from: row), receivedAtMs: row[31])
            var corrections: [StoredEvent] = []
            if original.event.kind.isCorrectable {
                for r in try Row.fetchAll(db, sql: StoreSchema.correctionsOfSQL, arguments: [key]) {
                    corrections.append(StoredEvent(event: try EventColumns.event(from: r), receivedAtMs: r[31]))
                }
            }
            return StoredHistory(original: original, corrections: corrections)
        }
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
