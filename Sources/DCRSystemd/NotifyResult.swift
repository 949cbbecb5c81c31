/// What became of a notification. Notifications are advisory: a daemon started by hand has no
/// notify socket and must carry on, and a failed send is worth a log line, not a crash.
public enum NotifyResult: Sendable, Equatable {
    /// The message reached the notify socket.
    case sent
    /// `NOTIFY_SOCKET` is not set: not running under systemd (or not as `Type=notify`).
    case notConfigured
    /// `sd_notify` failed.
    case failed(SystemdError)
}
