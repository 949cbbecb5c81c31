import DCRModel
import Foundation
import GRDB

/// What a backup copy holds, as checked after it was written.
public struct BackupContents: Sendable, Hashable {
    public var events: UInt64
    public var lastSequence: UInt64
    public var bytes: UInt64
}

extension EventStore {
    /// Prefix of the temporary file a backup is written under, next to its final name; a file
    /// with this prefix is never a finished backup (a crash or SIGKILL may leave one behind).
    public static let partialBackupPrefix = ".dcr-backup-partial-"

    /// Writes a consistent copy of the store to `destination` while ingest goes on.
    ///
    /// `VACUUM INTO` on a connection of its own reads one WAL snapshot: every event committed
    /// (so acknowledged) before the call is in the copy, events committed during it may be, a
    /// half-committed batch never is, and the writer is not held up (WAL readers do not block
    /// the writer). The copy goes to a private (0600) temporary file in the same directory, is
    /// fsynced, checked (`PRAGMA integrity_check`; its event count equals the live store's
    /// events up to its last sequence number), and only then linked under `destination` (which
    /// fails rather than replace a file) and its directory fsynced. On any failure the
    /// temporary file is removed and nothing exists under `destination`.
    ///
    /// The store holds pseudonyms and the key's fingerprint, never the key, so neither does the copy.
    public func backup(to destination: String) throws(BackupError) -> BackupContents {
        guard destination.hasPrefix("/") else {
            throw .badDestination(path: destination, reason: "give an absolute path")
        }
        let directory = (destination as NSString).deletingLastPathComponent
        let name = (destination as NSString).lastPathComponent
        var info = stat()
        guard stat(directory, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
            throw .badDestination(path: destination, reason: "\(directory) is not a directory")
        }
        if lstat(destination, &info) == 0 { throw .exists(path: destination) }
        let temporary = directory + "/" + Self.partialBackupPrefix + name + "-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = Foundation.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .failed(path: destination, reason: "cannot create \(temporary): \(Self.errnoText())") }
        Foundation.close(fd)
        do {
            let contents = try copyAndCheck(into: temporary)
            guard link(temporary, destination) == 0 else {
                if errno == EEXIST { throw BackupError.exists(path: destination) }
                throw BackupError.failed(path: destination, reason: "cannot link it in place: \(Self.errnoText())")
            }
            unlink(temporary)
            Self.syncPath(directory, directory: true)
            return contents
        } catch let error as BackupError {
            unlink(temporary)
            throw error
        } catch {
            unlink(temporary)
            throw .failed(path: destination, reason: StoreFailure(error).reason)
        }
    }

    private func copyAndCheck(into temporary: String) throws -> BackupContents {
        var configuration = Configuration()
        configuration.label = "dcr.backup"
        configuration.readonly = true
        let (seconds, attoseconds) = settings.busyTimeout.components
        configuration.busyMode = .timeout(Double(seconds) + Double(attoseconds) / 1e18)
        let source = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? source.close() }
        try source.writeWithoutTransaction { db in
            try db.execute(sql: "VACUUM INTO ?", arguments: [temporary])
        }
        if settings.backupPauseForTesting > .zero {
            Thread.sleep(forTimeInterval: Double(settings.backupPauseForTesting / .milliseconds(1)) / 1000)
        }
        guard Self.syncPath(temporary, directory: false) else {
            throw BackupError.failed(path: temporary, reason: "fsync: \(Self.errnoText())")
        }
        var copyConfiguration = Configuration()
        copyConfiguration.label = "dcr.backup.check"
        let copy = try DatabaseQueue(path: temporary, configuration: copyConfiguration)
        // One self-contained file: no -wal or -shm beside it, readable by `sqlite3 -readonly`.
        try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
        let (check, events, lastSequence) = try copy.read { db in
            (try String.fetchAll(db, sql: "PRAGMA integrity_check"),
             try UInt64.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0,
             try UInt64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM events") ?? 0)
        }
        try copy.close()
        guard check == ["ok"] else {
            throw BackupError.failed(path: temporary, reason: "integrity_check: \(check.prefix(3).joined(separator: "; "))")
        }
        let live = try source.read { db in
            try UInt64.fetchOne(db, sql: "SELECT count(*) FROM events WHERE seq <= ?", arguments: [lastSequence]) ?? 0
        }
        guard live == events else {
            throw BackupError.failed(path: temporary, reason: "the copy holds \(events) events up to sequence \(lastSequence), the store \(live)")
        }
        var info = stat()
        let bytes = stat(temporary, &info) == 0 ? UInt64(info.st_size) : 0
        return BackupContents(events: events, lastSequence: lastSequence, bytes: bytes)
    }

    /// fsync of a file or a directory; false when it failed.
    @discardableResult
    static func syncPath(_ path: String, directory: Bool) -> Bool {
        let fd = Foundation.open(path, (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { Foundation.close(fd) }
        return fsync(fd) == 0
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
