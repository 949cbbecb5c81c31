import Logging
import NIOCore
import Synchronization

/// Refused frames in the log at a bounded rate: a hostile peer sending 100,000 bad inputs must
/// not write 100,000 lines. The first refusal after a quiet interval is logged at once; the rest
/// of that interval are summed up in one line when it ends ("refused frames: undecodable=97").
/// Status counts every refusal regardless (`DaemonCore.frameRejected`). Lines carry only the
/// fixed reason names, never anything the client sent.
final class RefusalLog: Sendable {
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var windowOpen = false
        var counts: [String: UInt64] = [:]
    }

    init(logger: Logger) {
        self.logger = logger
    }

    /// `intervalSeconds` is `refusal-log-interval` as in force now.
    func record(_ reason: String, intervalSeconds: Int, on loop: any EventLoop) {
        let first = state.withLock { s in
            if s.windowOpen {
                s.counts[reason, default: 0] += 1
                return false
            }
            s.windowOpen = true
            return true
        }
        guard first else { return }
        logger.info("refused frames: \(reason)=1")
        scheduleSummary(on: loop, seconds: intervalSeconds)
    }

    private func scheduleSummary(on loop: any EventLoop, seconds: Int) {
        loop.scheduleTask(in: .seconds(Int64(seconds))) { [self] in summarize(on: loop, seconds: seconds) }
    }

    private func summarize(on loop: any EventLoop, seconds: Int) {
        let counts: [String: UInt64] = state.withLock { s in
            defer { s.counts = [:] }
            if s.counts.isEmpty { s.windowOpen = false }
            return s.counts
        }
        guard !counts.isEmpty else { return }
        let summary = counts.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        logger.info("refused frames: \(summary) in the last \(seconds) s")
        scheduleSummary(on: loop, seconds: seconds)
    }
}
