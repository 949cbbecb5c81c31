/// How far the forwarder is, for `dcrctl status`, `dcrctl forward --status` and the metrics.
public struct ForwardStatus: Sendable, Hashable {
    /// `postgres://user@host:port/db` (never a password); empty: forwarding is off.
    public var target = ""
    /// Events committed centrally since start.
    public var forwarded: UInt64 = 0
    /// Stored events not yet committed centrally.
    public var lagEvents: UInt64 = 0
    /// How long the oldest of those has waited, by the daemon's clock (0 with no lag).
    public var lagSeconds: Double = 0
    /// Why the last attempt failed; empty once an attempt succeeds again.
    public var lastError = ""
    public var lastErrorAtMs: Int64 = 0
    /// Failed attempts since start.
    public var failures: UInt64 = 0

    public init() {}
}
