import DCRModel
import Foundation
import GRDB

extension EventStore {
    /// Opens the database file with the store's durability settings and brings the schema up
    /// to date.
    static func open(path: String, directory: String, settings: StoreSettings) throws(StoreError) -> DatabaseQueue {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            // Health data: create the file private before SQLite does (SQLite would use 0644);
            // the -wal and -shm files inherit the main file's mode.
            let fd = Foundation.open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            if fd >= 0 { Foundation.close(fd) }

            var configuration = Configuration()
            configuration.label = "dcr.store"
            let (seconds, attoseconds) = settings.busyTimeout.components
            configuration.busyMode = .timeout(Double(seconds) + Double(attoseconds) / 1e18)
            // WAL is set here, not with `configuration.journalMode = .wal`: GRDB's WAL setup runs
            // after `prepareDatabase` and lowers `synchronous` to NORMAL, under which a commit
            // can be lost on power failure. FULL: a commit that returned has reached the disk.
            // That is what an acknowledgement promises (checked below).
            configuration.prepareDatabase { db in
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
                guard mode == "wal" else {
                    throw StoreError.cannotOpen(path: path, reason: "SQLite refused WAL mode (\(mode ?? "?"))")
                }
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try db.execute(sql: "PRAGMA cache_size = -\(settings.cacheKiB)")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(settings.checkpointPages)")
            }
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try StoreSchema.migrator().migrate(queue)
            // Acknowledging after commit is only a promise when these really are in force.
            let (journal, synchronous) = try queue.read { db in
                (try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                 try Int.fetchOne(db, sql: "PRAGMA synchronous"))
            }
            guard journal == "wal", synchronous == 2 else {
                try? queue.close()
                throw StoreError.cannotOpen(path: path, reason: """
                    SQLite runs with journal_mode=\(journal ?? "?"), synchronous=\(synchronous ?? -1); \
                    the store needs WAL and FULL (2)
                    """)
            }
            return queue
        } catch let error as StoreError {
            throw error
        } catch {
            throw .cannotOpen(path: path, reason: StoreFailure(error).reason)
        }
    }

    /// Reads what the file already holds: events by kind for the statistics, and the time zone
    /// its local dates were computed in.
    func checkAtOpen(_ queue: DatabaseQueue) throws(StoreError) {
        do {
            let zone = calendar.identifier
            let (counts, storedZone) = try queue.write { db in
                var counts: [EventKind: UInt64] = [:]
                let rows = try Row.fetchCursor(db, sql: "SELECT kind, count(*) FROM events GROUP BY kind")
                while let row = try rows.next() {
                    if let kind = EventKind(rawValue: row[0]) { counts[kind] = row[1] }
                }
                let stored = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'time_zone'")
                if stored == nil {
                    try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('time_zone', ?)",
                                   arguments: [zone])
                }
                return (counts, stored)
            }
            condition.lock()
            stats.storedByKind = counts
            condition.unlock()
            if let storedZone, storedZone != zone {
                logger.warning("""
                    the event store's local dates were computed in \(storedZone), the daemon now \
                    runs in \(zone): old rows keep their local_date and local_hour
                    """, metadata: ["path": "\(path)"])
            }
        } catch {
            throw .cannotOpen(path: path, reason: StoreFailure(error).reason)
        }
    }
}
