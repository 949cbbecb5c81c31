import Logging
import Synchronization

/// The daemon's log level, shared by every logger it has handed out, so that a reload
/// (`log-level` in dcrd.conf) changes the level of loggers that already exist. swift-log copies
/// handlers into each `Logger`, so a level stored in the handler alone could not be changed later.
public final class LogLevelSwitch: Sendable {
    private let current: Mutex<Logger.Level>

    public init(_ level: Logger.Level) {
        current = Mutex(level)
    }

    public var level: Logger.Level {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}
