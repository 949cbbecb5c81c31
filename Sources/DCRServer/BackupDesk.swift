import DCRModel
import DCRStore
import Foundation
import Logging
import Synchronization

/// Takes backups for `dcrctl backup` and for the schedule, one at a time, and remembers the
/// last one's outcome for `Status` (and so for `dcrctl status` and the metrics).
///
/// The copy itself is the store's (`EventStore.backup(to:)`); the desk only serialises callers,
/// stamps the result with the daemon's clock and logs it. It is `Sendable`: its state is behind
/// mutexes, and `take` runs on the caller's thread (never an event loop: it may take seconds).
public final class BackupDesk: Sendable {
    public typealias Copier = @Sendable (String) -> Result<BackupContents, BackupError>

    /// The last backup since start, as `Status` shows it.
    public struct Outcome: Sendable, Hashable {
        public var finishedAtMs: Int64
        /// "ok", or why it failed.
        public var result: String
        public var path: String
        public var events: UInt64
    }

    private let copier = Mutex<Copier?>(nil)
    private let last = Mutex<Outcome?>(nil)
    /// Held for the whole of one backup, so two never copy at once.
    private let turn = NSLock()
    private let clock: DaemonClock
    private let logger: Logger

    init(clock: DaemonClock, logger: Logger) {
        self.clock = clock
        self.logger = logger
    }

    /// How backups are made; set by the runner once the store is open.
    public func setCopier(_ body: @escaping Copier) { copier.withLock { $0 = body } }

    public var lastOutcome: Outcome? { last.withLock { $0 } }

    /// Writes a verified copy to `path`; blocks until it is done. The error is what the
    /// requester is answered with.
    public func take(to path: String) -> Result<BackupReceipt, StatusError> {
        guard let copy = copier.withLock({ $0 }) else {
            return .failure(StatusError(.unavailable, "backups are not available in this daemon"))
        }
        turn.lock()
        defer { turn.unlock() }
        let started = ContinuousClock.now
        let result = copy(path)
        let finished = clock.nowMs()
        let elapsed = ContinuousClock.now - started
        let ms = UInt64(max(0, elapsed / .milliseconds(1)))
        switch result {
        case .success(let c):
            last.withLock { $0 = Outcome(finishedAtMs: finished, result: "ok", path: path, events: c.events) }
            logger.notice("backup written", metadata: [
                "path": "\(path)", "events": "\(c.events)", "last_seq": "\(c.lastSequence)",
                "bytes": "\(c.bytes)", "ms": "\(ms)"])
            return .success(BackupReceipt(path: path, events: c.events, lastSequence: c.lastSequence,
                                          bytes: c.bytes, finishedAtMs: finished, durationMs: ms))
        case .failure(let error):
            last.withLock { $0 = Outcome(finishedAtMs: finished, result: error.description, path: path, events: 0) }
            logger.error("backup failed", metadata: ["error": "\(error)"])
            let code: StatusCode = switch error {
            case .badDestination: .invalidArgument
            case .exists: .alreadyExists
            case .failed: .unavailable
            }
            return .failure(StatusError(code, error.description))
        }
    }
}
