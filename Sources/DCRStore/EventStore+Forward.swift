import DCRModel
import GRDB

/// One value of a stored event as it leaves for the central database.
public enum ForwardValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
    /// An event id (`event_id`, `target_id`): 16 bytes, sent as a UUID.
    case id([UInt8])
}

/// One stored event in store order, its values in `EventStore.forwardColumns` order.
public struct ForwardRow: Sendable, Hashable {
    public var seq: Int64
    public var receivedAtMs: Int64
    public var values: [ForwardValue]
}

extension EventStore {
    /// The columns the forwarder copies, as the local `events` table names them, then
    /// `amended_local_date` (an amend's corrected local date, which the central views need and
    /// only the daemon's time zone can compute). `Deploy/postgres/schema.sql` uses these names.
    /// (`encoded`, no longer written, never went central: every field is a column.)
    public static let forwardColumns = [
        "seq", "event_id", "kind", "site", "occurred_at_ms", "received_at_ms", "local_date", "local_hour", "booth",
        "client", "gender", "age", "municipality", "substance", "route", "incident_kind", "victim_gender",
        "victim_role", "overdose_response", "referral_target", "turn_away_reason", "suspension_from_ms",
        "suspension_until_ms", "suspension_reason", "suspension_all_sites", "target_id", "correction_reason",
        "corrected_by", "corrected_by_role", "referral_scope", "referral_accepted", "amended_kind", "amended_site",
        "amended_occurred_at_ms", "amended_booth", "amended_local_date",
    ]

    /// Up to `limit` events stored after `seq`, in store order, read on `reader` (a connection
    /// of the forwarder's own: a slow read never queues in front of the writer).
    public func forwardRows(after seq: Int64, limit: Int, reader: ForwardReader) throws -> [ForwardRow] {
        let columns = Self.forwardColumns.dropLast().joined(separator: ", ")
        let calendar = self.calendar
        return try reader.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT \(columns) FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                                        arguments: [seq, limit])
            return rows.map { row in
                var values: [ForwardValue] = []
                values.reserveCapacity(Self.forwardColumns.count)
                for i in 0..<(Self.forwardColumns.count - 1) {
                    switch row[i] as DatabaseValue {
                    case let v where v.isNull: values.append(.null)
                    case let v:
                        switch v.storage {
                        case .int64(let n): values.append(.integer(n))
                        case .string(let s): values.append(.text(s))
                        case .blob(let data): values.append(.id(Array(data)))
                        case .double(let d): values.append(.integer(Int64(d)))
                        case .null: values.append(.null)
                        }
                    }
                }
                if case .integer(let ms) = values[33] {
                    values.append(.text(calendar.localTime(ms: ms).date.description))
                } else {
                    values.append(.null)
                }
                let seq: Int64 = row[0]
                let received: Int64 = row[5]
                return ForwardRow(seq: seq, receivedAtMs: received, values: values)
            }
        }
    }

    /// The last stored sequence and, when `after` is behind it, when the first event after it
    /// was received (for the lag in seconds).
    public func forwardBacklog(after seq: Int64, reader: ForwardReader) throws -> (lastSeq: Int64, oldestReceivedMs: Int64?) {
        try reader.read { db in
            let last = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM events") ?? 0
            let oldest = last > seq
                ? try Int64.fetchOne(db, sql: "SELECT received_at_ms FROM events WHERE seq > ? ORDER BY seq LIMIT 1", arguments: [seq])
                : nil
            return (last, oldest)
        }
    }

    /// The last sequence forwarded to `target` and committed there (0: none yet). Kept in `meta`
    /// (`forward:TARGET`), so no schema change and a new target starts from the beginning.
    public func forwardCursor(target: String) throws -> Int64 {
        try writableForwardQueue().read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: ["forward:" + target])
                .flatMap { Int64($0) } ?? 0
        }
    }

    /// Records that everything up to `seq` is committed at `target`. Called only after the
    /// central commit: a crash in between sends those events again, and the central primary key
    /// takes each once.
    public func setForwardCursor(target: String, seq: Int64) throws {
        try writableForwardQueue().write { db in
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: ["forward:" + target, String(seq)])
        }
    }

    /// Retention keeps every event after `seq` (the forwarder's central cursor).
    public func setRetentionCeiling(_ seq: Int64) {
        retentionCeiling.withLock { $0 = seq }
    }

    private func writableForwardQueue() throws -> DatabaseQueue {
        guard let queue = database.withLock({ $0 }) else {
            throw StoreError.cannotOpen(path: path, reason: "the store is closed")
        }
        return queue
    }

    /// Opens the forwarder's read-only connection.
    public func forwardReader() throws -> ForwardReader {
        var configuration = Configuration()
        configuration.label = "dcr.forward"
        configuration.readonly = true
        do {
            return ForwardReader(queue: try DatabaseQueue(path: path, configuration: configuration))
        } catch let error as DatabaseError {
            throw StoreError.cannotRead("\(error.resultCode): \(error.message ?? "")")
        }
    }
}

/// The forwarder's own read-only connection to the store (a WAL snapshot per read).
public final class ForwardReader: Sendable {
    let queue: DatabaseQueue
    init(queue: DatabaseQueue) { self.queue = queue }
    /// GRDB's errors become `StoreError.cannotRead`, so the forwarder knows to make a new reader.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        do { return try queue.read(body) } catch let error as DatabaseError {
            throw StoreError.cannotRead("\(error.resultCode): \(error.message ?? "")")
        }
    }
    public func close() { try? queue.close() }
}
