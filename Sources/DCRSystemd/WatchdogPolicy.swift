import CSystemd

/// How often systemd expects a sign of life. Kept apart from the ping loop so that tests can run
/// the loop with a short interval of their own instead of systemd's environment.
public struct WatchdogPolicy: Sendable, Equatable {
    /// systemd's `WatchdogSec=`: a service silent for this long is killed and restarted.
    public let interval: Duration

    public init(interval: Duration) {
        precondition(interval > .zero, "watchdog interval must be positive")
        self.interval = interval
    }

    /// Half the interval, as `sd_watchdog_enabled(3)` recommends: one late or skipped ping does
    /// not yet cost a restart, two do.
    public var pingInterval: Duration {
        interval / 2
    }

    /// The policy systemd asked for (`WATCHDOG_USEC`, for this process per `WATCHDOG_PID`), or nil
    /// when no watchdog is configured. The environment is left as is: children are not started
    /// with it, and `sd_watchdog_enabled` checks the PID anyway.
    public static func fromEnvironment() throws(SystemdError) -> WatchdogPolicy? {
        var usec: UInt64 = 0
        let result = sd_watchdog_enabled(0, &usec)
        if result < 0 { throw SystemdError(operation: "sd_watchdog_enabled", errno: -result) }
        if result == 0 || usec == 0 { return nil }
        return WatchdogPolicy(interval: .microseconds(Int64(clamping: usec)))
    }
}
