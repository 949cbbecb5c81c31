import DCRConfig
import DCRModel
import DCRServer
import Logging

/// What every input's daemon shares: settings, calendar, a clock that starts at a fixed instant,
/// a logger that writes nothing (logging per refusal would dominate the time of an execution).
enum FuzzDaemon {
    /// An admin token, so that every request kind is reachable once the Hello is right.
    static let token = "fuzz-admin-token-0123456789abcdef"
    static let configuration: DaemonConfiguration = {
        var c = DaemonConfiguration(listen: [], stateDirectory: "/nonexistent/dcr-fuzz")
        c.tokens = [TerminalToken(name: "fuzz", role: .admin, secret: Array(token.utf8))]
        c.maxFrameBytes = 4096
        // Small, so that inputs reach the in-flight limit.
        c.maxInFlight = 8
        c.helloFailureDelayMs = 1000
        return c
    }()
    static let calendar = LocalCalendar()!
    /// 2026-01-01T00:00:00Z, then monotonic: events near "now" are inside the skew allowed.
    static let clock = DaemonClock(startingAtMs: 1_767_225_600_000)
    static let quiet = Logger(label: "dcr.fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
}
