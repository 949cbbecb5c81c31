import DCRModel
import DCRStore
import Foundation
import Logging

/// Scheduled backups (`backup-dir`, `backup-every`, `backup-keep`): a verified copy every
/// interval, named by the daemon's clock, keeping the newest few.
///
/// An internal schedule rather than a systemd timer: the daemon already holds the store open
/// and knows each backup's outcome, which `Status` (so `dcrctl status` and the metrics) shows
/// without a second channel; it works the same under systemd, in `make run` and in a
/// container; and the copies are written as the daemon's own user, inside its sandbox
/// (`ReadWritePaths=` names the backup directory).
struct BackupSchedule: Sendable {
    let directory: String
    let every: Duration
    let keep: Int

    static let namePattern = #"^events-[0-9]{8}T[0-9]{6}Z\.sqlite$"#

    /// `events-20260313T090000Z.sqlite` for that UTC instant: names sort by time.
    static func fileName(atMs ms: Int64) -> String { "events-" + stamp(atMs: ms) + ".sqlite" }

    /// `20260313T090000Z`: a UTC instant that sorts as text.
    static func stamp(atMs ms: Int64) -> String {
        var seconds = time_t(ms / 1000)
        var t = tm()
        gmtime_r(&seconds, &t)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", Int(t.tm_year) + 1900,
                      Int(t.tm_mon) + 1, Int(t.tm_mday), Int(t.tm_hour), Int(t.tm_min), Int(t.tm_sec))
    }

    /// Until cancelled: wait one interval, back up, prune.
    func run(desk: BackupDesk, clock: DaemonClock, logger: Logger) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: every) } catch { return }
            let path = directory + "/" + Self.fileName(atMs: clock.nowMs())
            let result = await withCheckedContinuation { continuation in
                OffLoop.background.run { continuation.resume(returning: desk.take(to: path)) }
            }
            if case .success = result { prune(logger: logger) }
        }
    }

    /// Deletes scheduled backups beyond the newest `keep`, and partial files a crashed daemon
    /// left (another process id in their name); files of other names are never touched.
    func prune(logger: Logger) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        let backups = names.filter { $0.range(of: Self.namePattern, options: .regularExpression) != nil }.sorted()
        for name in backups.dropLast(keep) {
            if unlink(directory + "/" + name) == 0 {
                logger.info("old backup deleted", metadata: ["path": "\(directory)/\(name)", "keep": "\(keep)"])
            }
        }
        let mine = "-\(getpid())-"
        for name in names where name.hasPrefix(EventStore.partialBackupPrefix) && !name.contains(mine) {
            unlink(directory + "/" + name)
        }
    }
}
