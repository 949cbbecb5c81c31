import DCRDashboard
import DCRModel

/// The `http:` listeners read the same snapshots as `dcrctl load` and `dcrctl status`.
extension DaemonCore: DashboardSource {
    public func dashboardLoad() -> LoadSnapshot {
        (try? load(site: nil)) ?? LoadSnapshot(serverTimeMs: clock.nowMs(), sites: [])
    }

    public func metricsExposition() -> [UInt8] {
        metrics.exposition(load: dashboardLoad(), status: status())
    }

    /// The tokens `/metrics`, `/events` and `/load.json` accept off loopback: monitor and admin.
    func dashboardSettings(requireToken: Bool) -> DashboardSettings {
        let c = configuration
        return DashboardSettings(updateIntervalMs: c.watchDefaultIntervalMs,
                                 tokens: c.tokens.filter { $0.role == .monitor || $0.role == .admin }.map(\.secret),
                                 requireToken: requireToken)
    }
}
