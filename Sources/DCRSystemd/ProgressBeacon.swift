import Synchronization

/// Progress counters a worker updates cheaply, so that the watchdog can tell "idle" from "stuck":
/// a writer with nothing queued is healthy however long it sleeps, a writer with queued work must
/// complete some of it between two watchdog ticks.
public final class ProgressBeacon: Sendable {
    private struct State {
        var outstanding = 0
        var completed: UInt64 = 0
        var completedAtLastCheck: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    /// Work was queued (e.g. events waiting for a group commit).
    public func noteQueued(_ count: Int = 1) {
        state.withLock { $0.outstanding += count }
    }

    /// Queued work was finished (e.g. a commit made those events durable, or failed them).
    public func noteCompleted(_ count: Int = 1) {
        state.withLock {
            $0.outstanding = max(0, $0.outstanding - count)
            $0.completed &+= UInt64(count)
        }
    }

    /// True when nothing is outstanding or something was completed since the previous call.
    /// Meant to be called once per watchdog tick by `HealthProbe.progress`.
    public func checkProgress() -> Bool {
        state.withLock {
            let progressed = $0.completed != $0.completedAtLastCheck
            $0.completedAtLastCheck = $0.completed
            return $0.outstanding == 0 || progressed
        }
    }
}
