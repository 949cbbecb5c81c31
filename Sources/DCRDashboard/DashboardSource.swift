import DCRModel

/// What the HTTP side reads from the daemon: the live load (the same snapshot as the Watch stream
/// that `dcrctl top` shows) and the metrics exposition. The daemon's core provides it; handler
/// tests give a fixed one.
public protocol DashboardSource: Sendable {
    func dashboardLoad() -> LoadSnapshot
    func metricsExposition() -> [UInt8]
}

/// How the HTTP side behaves; from dcrd.conf.
public struct DashboardSettings: Sendable {
    /// How often `/events` pushes the load (`watch-interval-ms`).
    public var updateIntervalMs: Int
    /// The monitor and admin tokens (`token NAME monitor FILE`); any one of them is accepted as
    /// `Authorization: Bearer TOKEN`.
    public var tokens: [[UInt8]]
    /// True on a listener other machines can reach: `/metrics`, `/events` and `/load.json` then
    /// need a token. The page itself carries no numbers and is always served.
    public var requireToken: Bool

    public init(updateIntervalMs: Int, tokens: [[UInt8]], requireToken: Bool) {
        self.updateIntervalMs = updateIntervalMs
        self.tokens = tokens
        self.requireToken = requireToken
    }
}
