#if canImport(Glibc)
import Glibc
#endif

/// The two clocks dcr reads, in the units it works in: wall time in Unix milliseconds (when an
/// event happened) and monotonic time (how long something took). One place for both, so the
/// daemon's `DaemonClock` and dcrctl's commands read time the same way.
public enum SystemClock {
    public static func realtimeMs() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    public static func monotonicNs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    public static func monotonicMs() -> Int64 { Int64(monotonicNs() / 1_000_000) }
}
