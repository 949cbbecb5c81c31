import Foundation
import GRDB

/// `dcrd --restore FILE`: checks a backup and puts it in place of the state directory's store,
/// for the next start to replay. The daemon must be stopped (the caller holds its lock).
public enum StoreRestore {
    /// What was restored, and where the store it replaced went.
    public struct Outcome: Sendable, Hashable {
        public var events: UInt64
        public var lastSequence: UInt64
        /// The previous `events.sqlite` (and its WAL), renamed; nil when there was none.
        public var replacedPath: String?
    }

    /// Copies `file` into `directory` under a temporary name and checks the copy (the backup
    /// itself is never opened, so never changed): `PRAGMA integrity_check`, a dcr store at
    /// all, the same schema (migrations) as this build, the same time zone as `timeZone`
    /// (local dates and hours are stored as computed then) unless `force`, and the same key
    /// fingerprint as `keyFingerprint` (never forced: the daemon would refuse it anyway). Then
    /// the current store is renamed `events.sqlite.replaced-STAMP` (with its WAL, which keeps
    /// the pair readable), the copy renamed to `events.sqlite`, the directory fsynced.
    public static func restore(from file: String, intoDirectory directory: String, timeZone: String,
                               keyFingerprint: String, force: Bool, stamp: String) throws(RestoreError) -> Outcome {
        let temporary = directory + "/.dcr-restore-partial-\(getpid())"
        unlink(temporary)
        do {
            try copyFile(file, to: temporary)
            let outcome = try check(temporary, file: file, timeZone: timeZone, keyFingerprint: keyFingerprint, force: force)
            let live = directory + "/" + StoreSchema.fileName
            var replaced: String?
            if access(live, F_OK) == 0 {
                let aside = live + ".replaced-" + stamp
                guard rename(live, aside) == 0 else { throw RestoreError.failed("cannot move \(live) aside: \(EventStore.errnoText())") }
                if access(live + "-wal", F_OK) == 0 { rename(live + "-wal", aside + "-wal") }
                unlink(live + "-shm")
                replaced = aside
            }
            guard rename(temporary, live) == 0 else { throw RestoreError.failed("cannot rename the copy to \(live): \(EventStore.errnoText())") }
            EventStore.syncPath(directory, directory: true)
            return Outcome(events: outcome.events, lastSequence: outcome.lastSequence, replacedPath: replaced)
        } catch let error as RestoreError {
            unlink(temporary)
            throw error
        } catch {
            unlink(temporary)
            throw .failed(StoreFailure(error).reason)
        }
    }

    private static func check(_ copyPath: String, file: String, timeZone: String, keyFingerprint: String,
                              force: Bool) throws -> (events: UInt64, lastSequence: UInt64) {
        var configuration = Configuration()
        configuration.label = "dcr.restore"
        let copy = try DatabaseQueue(path: copyPath, configuration: configuration)
        defer { try? copy.close() }
        let integrity = try copy.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        guard integrity == ["ok"] else { throw RestoreError.damaged(file: file, integrity.prefix(3).joined(separator: "; ")) }
        return try copy.read { db in
            guard try db.tableExists("events"), try db.tableExists("meta") else {
                throw RestoreError.notAStore(file: file)
            }
            let applied = try db.tableExists("grdb_migrations")
                ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") : []
            let known = StoreSchema.migrationIdentifiers.sorted()
            // An older schema is brought up to date at the next start; a newer or a foreign one is not.
            if (applied.isEmpty || applied.contains { !known.contains($0) }) && !force {
                throw RestoreError.otherSchema(file: file, found: applied, expected: known)
            }
            let zone = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'time_zone'")
            if let zone, zone != timeZone, !force {
                throw RestoreError.otherTimeZone(file: file, found: zone, expected: timeZone)
            }
            let fingerprint = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'key_fingerprint'")
            if let fingerprint, fingerprint != keyFingerprint {
                throw RestoreError.otherKey(file: file, found: fingerprint, expected: keyFingerprint)
            }
            let events = try UInt64.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0
            let last = try UInt64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM events") ?? 0
            return (events, last)
        }
    }

    /// A byte copy, private (0600) and fsynced.
    private static func copyFile(_ source: String, to destination: String) throws(RestoreError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .failed("cannot read \(source): \(EventStore.errnoText())") }
        defer { close(input) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard output >= 0 else { throw .failed("cannot create \(destination): \(EventStore.errnoText())") }
        defer { close(output) }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = read(input, &buffer, buffer.count)
            if n < 0 { throw .failed("cannot read \(source): \(EventStore.errnoText())") }
            if n == 0 { break }
            var done = 0
            while done < n {
                let w = buffer.withUnsafeBytes { write(output, $0.baseAddress! + done, n - done) }
                if w < 0 { throw .failed("cannot write \(destination): \(EventStore.errnoText())") }
                done += w
            }
        }
        guard fsync(output) == 0 else { throw .failed("cannot fsync \(destination): \(EventStore.errnoText())") }
    }
}
