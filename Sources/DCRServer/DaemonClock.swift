import DCRModel
import Synchronization

/// The daemon's idea of "now", in Unix milliseconds.
///
/// Real time by default. Tests start the daemon at a fixed instant (`DCRD_TEST_CLOCK_START_MS`)
/// from which it advances with the monotonic clock, so nothing they check depends on the day
/// or hour they run at.
public struct DaemonClock: Sendable {
    private let startWallMs: Int64
    private let startMonotonicNs: UInt64
    private let manual: ManualTime?

    public init(startingAtMs: Int64? = nil) {
        self.startMonotonicNs = SystemClock.monotonicNs()
        self.startWallMs = startingAtMs ?? SystemClock.realtimeMs()
        self.manual = nil
    }

    /// A clock that moves only when the test moves it (rate limits, skew windows).
    public init(manual: ManualTime) {
        self.startMonotonicNs = 0
        self.startWallMs = 0
        self.manual = manual
    }

    public func nowMs() -> Int64 {
        if let manual { return manual.nowMs }
        return startWallMs + Int64((SystemClock.monotonicNs() - startMonotonicNs) / 1_000_000)
    }
}

/// "Now" for a `DaemonClock(manual:)`: set and advanced by a test.
public final class ManualTime: Sendable {
    private let ms: Atomic<Int64>

    public init(startingAtMs: Int64) { ms = Atomic(startingAtMs) }

    public var nowMs: Int64 { ms.load(ordering: .relaxed) }

    public func advance(byMs delta: Int64) { ms.add(delta, ordering: .relaxed) }
}
