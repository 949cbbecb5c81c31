import DCRModel
import Prometheus
import Synchronization

/// The daemon's Prometheus metrics: one registry, the `dcr_` families, and how each is fed.
///
/// Three kinds of feed, chosen by what each number costs where it happens:
/// - events stored (by site and kind) and store commits (latency, batch size) are recorded where
///   they happen, because nothing else keeps them in that shape;
/// - counts the daemon already keeps cumulatively for `Status` (rejected frames, duplicates,
///   invalid events) are carried over at scrape time, by the difference since the last scrape,
///   so the acknowledgement path pays nothing for them;
/// - gauges (booths, rolling windows, connections, backups) are set from snapshots at scrape time.
///
/// Labels are only site codes from the configuration, event kinds, roles and fixed reason words:
/// never a client code or a pseudonym. Counters are cumulative from start; nothing resets on scrape.
public final class DaemonMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let stored = Mutex<[StoredKey: Counter]>([:])
    private let carried = Mutex(Carried())
    private let commitDuration: DurationHistogram
    private let commitBatch: ValueHistogram
    private let replayDuration: Gauge
    private let startTime: Gauge

    struct StoredKey: Hashable {
        var site: String
        var kind: EventKind
    }

    /// What was last carried over from the cumulative snapshot counts, per series.
    struct Carried {
        var values: [String: UInt64] = [:]
    }

    public init(version: String, startedAtMs: Int64) {
        commitDuration = registry.makeDurationHistogram(
            descriptor: Family.commitDuration,
            buckets: [.microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
                      .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250),
                      .milliseconds(500), .seconds(1), .seconds(2.5)])
        commitBatch = registry.makeValueHistogram(
            descriptor: Family.commitBatch, buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096])
        replayDuration = registry.makeGauge(descriptor: Family.replayDuration)
        startTime = registry.makeGauge(descriptor: Family.startTime)
        startTime.set(Double(startedAtMs) / 1000)
        registry.makeGauge(descriptor: Family.buildInfo, labels: [("version", version)]).set(1.0)
        // Present (at 0) from the start, so that rate() and alerts see a series before any event.
        registry.makeCounter(descriptor: Family.reloads, labels: [("result", "ok")]).increment(by: Int64(0))
        registry.makeCounter(descriptor: Family.reloads, labels: [("result", "refused")]).increment(by: Int64(0))
        for reason in ["undecodable", "before_hello", "hello_refused", "hello_timeout", "too_many_connections", "rate_limited"] {
            registry.makeCounter(descriptor: Family.rejectedFrames, labels: [("reason", reason)]).increment(by: Int64(0))
        }
        registry.makeCounter(descriptor: Family.duplicates, labels: []).increment(by: Int64(0))
        registry.makeCounter(descriptor: Family.invalid, labels: []).increment(by: Int64(0))
    }

    // MARK: recorded where it happens

    /// An event newly stored (not a duplicate) at `site`.
    public func eventStored(site: String, kind: EventKind) {
        let key = StoredKey(site: site, kind: kind)
        let counter = stored.withLock { table in
            if let c = table[key] { return c }
            let c = registry.makeCounter(descriptor: Family.eventsStored, labels: [("site", site), ("kind", kind.label)])
            table[key] = c
            return c
        }
        counter.increment()
    }

    /// Declares a site's series at 0, so a site with no event yet is still on the dashboard.
    public func declareSite(_ site: String) {
        for kind in [EventKind.intake, .boothRelease, .incident, .referral, .turnAway] {
            let key = StoredKey(site: site, kind: kind)
            stored.withLock { table in
                if table[key] == nil {
                    table[key] = registry.makeCounter(descriptor: Family.eventsStored, labels: [("site", site), ("kind", kind.label)])
                }
            }
        }
    }

    /// One committed batch: how long the commit (and its fsync) took and how many events it held.
    public func commit(duration: Duration, events: Int) {
        commitDuration.record(duration)
        commitBatch.record(Double(events))
    }

    public func replayed(duration: Duration) {
        let c = duration.components
        replayDuration.set(Double(c.seconds) + Double(c.attoseconds) / 1e18)
    }

    /// A configuration reload (SIGHUP or `dcrctl reload`) and whether it was put in force.
    public func reloaded(ok: Bool) {
        registry.makeCounter(descriptor: Family.reloads, labels: [("result", ok ? "ok" : "refused")]).increment()
    }

    // MARK: at scrape time

    /// Sets the gauges from the snapshots, carries the cumulative counts over, and returns the
    /// text exposition format (version 0.0.4).
    public func exposition(load: LoadSnapshot, status: StatusSnapshot) -> [UInt8] {
        for site in load.sites {
            let s = [("site", site.site)]
            registry.makeGauge(descriptor: Family.boothsTaken, labels: s).set(Double(site.boothsTaken))
            registry.makeGauge(descriptor: Family.boothsCapacity, labels: s).set(Double(site.capacity))
            for (window, value) in [("5m", site.intakes5m), ("15m", site.intakes15m), ("1h", site.intakes1h)] {
                registry.makeGauge(descriptor: Family.intakesRecent, labels: [("site", site.site), ("window", window)]).set(Double(value))
            }
            registry.makeGauge(descriptor: Family.intakesToday, labels: s).set(Double(site.intakesToday))
            registry.makeGauge(descriptor: Family.intakesTypical, labels: s).set(site.typicalToday)
            registry.makeGauge(descriptor: Family.incidentsToday, labels: s).set(Double(site.incidentsToday))
            registry.makeGauge(descriptor: Family.referralsToday, labels: s).set(Double(site.referralsToday))
            registry.makeGauge(descriptor: Family.turnAwaysToday, labels: s).set(Double(site.turnAwaysToday))
        }
        for role in [Role.terminal, .monitor, .admin] {
            registry.makeGauge(descriptor: Family.connections, labels: [("role", role.label)])
                .set(Double(status.connections[role] ?? 0))
        }
        if status.lastBackupAtMs > 0 {
            registry.makeGauge(descriptor: Family.lastBackupTime).set(Double(status.lastBackupAtMs) / 1000)
            registry.makeGauge(descriptor: Family.lastBackupSuccess).set(status.lastBackupResult == "ok" ? 1.0 : 0.0)
        }
        if status.tlsCertificateExpiresMs > 0 {
            registry.makeGauge(descriptor: Family.tlsExpiry).set(Double(status.tlsCertificateExpiresMs) / 1000)
        }
        registry.makeGauge(descriptor: Family.configOK).set(status.configState == "ok" ? 1.0 : 0.0)
        if !status.forwardTarget.isEmpty {
            registry.makeGauge(descriptor: Family.forwardLagEvents).set(Double(status.forwardLagEvents))
            registry.makeGauge(descriptor: Family.forwardLagSeconds).set(status.forwardLagSeconds)
            registry.makeGauge(descriptor: Family.forwardFailing).set(status.forwardLastError.isEmpty ? 0.0 : 1.0)
        }
        carry(status)
        return registry.emitToBuffer()
    }

    /// Adds to each counter what its cumulative source grew by since the last scrape. Under one
    /// lock, so two scrapes at once never add the same growth twice.
    private func carry(_ status: StatusSnapshot) {
        var sources: [(String, UInt64, Counter)] = [
            ("duplicates", status.duplicates, registry.makeCounter(descriptor: Family.duplicates, labels: [])),
            ("invalid", status.invalidEvents, registry.makeCounter(descriptor: Family.invalid, labels: [])),
        ]
        for (reason, n) in status.rejectedFrames.sorted(by: { $0.key < $1.key }) {
            sources.append(("rejected/" + reason, n,
                            registry.makeCounter(descriptor: Family.rejectedFrames, labels: [("reason", Self.labelValue(reason))])))
        }
        carried.withLock { c in
            for (key, value, counter) in sources {
                let before = c.values[key] ?? 0
                if value > before { counter.increment(by: Int64(value - before)) }
                c.values[key] = max(before, value)
            }
        }
    }

    /// Reason words are the daemon's own (`too_many_connections`); anything else is folded to
    /// `other`, so a label can never carry text from a peer.
    static func labelValue(_ reason: String) -> String {
        reason.utf8.allSatisfy({ ($0 >= 97 && $0 <= 122) || $0 == 95 || ($0 >= 48 && $0 <= 57) }) && reason.utf8.count <= 40
            ? reason : "other"
    }
}
