import CSystemd
#if canImport(Glibc)
import Glibc
#endif

/// Tells systemd how the daemon is doing (`sd_notify(3)`), so that `Type=notify` ordering,
/// `systemctl status`, reloads and the watchdog all see the daemon's real state.
///
/// `sd_notify` reads `NOTIFY_SOCKET` on every call and the environment is left intact, so a
/// notifier may be created early and used from any thread. `sd_notifyf` is variadic and cannot be
/// called from Swift; messages are formatted here instead.
public final class SystemdNotifier: Sendable {
    public init() {}

    /// Whether systemd is listening: false when the daemon was started by hand.
    public var isEnabled: Bool {
        getenv("NOTIFY_SOCKET") != nil
    }

    /// The daemon has replayed its store and bound (or adopted) every listener.
    @discardableResult
    public func ready() -> NotifyResult {
        send("READY=1")
    }

    /// One line for `systemctl status`. Control characters (newlines above all, which would start
    /// a new assignment) are replaced by spaces.
    @discardableResult
    public func status(_ line: String) -> NotifyResult {
        send("STATUS=" + Self.sanitized(line))
    }

    /// Shutdown has begun; systemd stops expecting watchdog pings and waits for the exit.
    @discardableResult
    public func stopping() -> NotifyResult {
        send("STOPPING=1")
    }

    /// A reload has begun. The timestamp lets systemd tell this reload's completion (the next
    /// `READY=1`) from an earlier one; `Type=notify-reload` (systemd 253) requires it, older
    /// versions ignore it. Send `ready()` when the reload is done, whether or not the new
    /// configuration was accepted (say which in `status(_:)`).
    @discardableResult
    public func reloading(monotonicUsec: UInt64 = SystemdNotifier.monotonicMicroseconds()) -> NotifyResult {
        send("RELOADING=1\nMONOTONIC_USEC=\(monotonicUsec)")
    }

    /// The daemon is healthy. Call this only from the `Watchdog`, which checks health first.
    @discardableResult
    public func watchdog() -> NotifyResult {
        send("WATCHDOG=1")
    }

    /// Asks for more time to start or stop, e.g. while replaying a large store, so that
    /// `TimeoutStartSec=` does not kill a daemon that is making progress.
    @discardableResult
    public func extendTimeout(microseconds: UInt64) -> NotifyResult {
        send("EXTEND_TIMEOUT_USEC=\(microseconds)")
    }

    /// Sends newline-separated assignments as they are.
    @discardableResult
    public func send(_ raw: String) -> NotifyResult {
        let result = sd_notify(0, raw)
        if result > 0 { return .sent }
        if result == 0 { return .notConfigured }
        return .failed(SystemdError(operation: "sd_notify", errno: -result))
    }

    /// `CLOCK_MONOTONIC` in microseconds: the clock systemd compares `MONOTONIC_USEC=` against.
    public static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    static func sanitized(_ line: String) -> String {
        String(String.UnicodeScalarView(line.unicodeScalars.map { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F ? " " : scalar
        }))
    }
}
