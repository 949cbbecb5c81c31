import DCRConfig
import DCRCounters
import DCRForward
import DCRMetrics
import DCRModel
import DCRStore
import DCRWire
import Logging
import Synchronization

/// The daemon's shared state: settings in force, live counters, health counters, the event log.
///
/// Sessions on every event loop call into it; each piece sits behind its own `Mutex` so a report
/// being computed never blocks an acknowledgement for longer than one counter update.
public final class DaemonCore: Sendable {
    public let version: String
    public let clock: DaemonClock
    public let startedAtMs: Int64
    public let log: any EventLog
    let pseudonymize: @Sendable (ClientCode) -> Pseudonym
    private let logger: Logger
    private let config: Mutex<DaemonConfiguration>
    let rules: Mutex<EventRules>
    private let configState = Mutex("ok")
    private let transport = Mutex(TransportState())
    let counters: Mutex<LiveCounters>
    private let ingestRate = Mutex(RateMeter())
    let health = Mutex(HealthCounters())
    /// Events a correction is being stored for: a second correction of the same event waits
    /// until the first is counted, so both never start from the same state.
    let correcting = Mutex(Set<EventID>())
    private let reloader = Mutex<(@Sendable () -> StatusError?)?>(nil)
    /// Retention as `Status` shows it, and the years kept only as aggregates (events dated in
    /// them are refused: they would be deleted raw at the next pass, uncounted).
    private let retention = Mutex(RetentionState())
    private let keptYears = Mutex<Set<Int>>([])
    /// The forwarder to the central PostgreSQL, when configured (its status for Status and metrics).
    private let forwarder = Mutex<Forwarder?>(nil)

    public func setForwarder(_ f: Forwarder) { forwarder.withLock { $0 = f } }

    struct RetentionState {
        var oldestRawEvent = ""
        var retainYears: UInt32 = 0
        var deleted: UInt64 = 0
    }
    let refusalLog: RefusalLog
    /// `dcrctl backup` and scheduled backups; the runner gives it the store's copier.
    public let backups: BackupDesk
    /// The Prometheus families the `http:` listeners export at `/metrics`.
    public let metrics: DaemonMetrics

    /// What Status tells about the listeners: the TLS certificate's expiry, plaintext exposure.
    public struct TransportState: Sendable {
        public var tlsCertificateExpiresMs: Int64 = 0
        public var plaintextTCPOffLoopback = false
        public init() {}
    }

    public func setTransport(_ update: (inout TransportState) -> Void) { transport.withLock { update(&$0) } }

    struct HealthCounters {
        var connections: [Role: UInt32] = [:]
        var open = 0
        /// Open connections without a successful Hello.
        var unauthenticated = 0
        /// Open connections by peer (a TCP address, a Unix uid).
        var perPeer: [String: Int] = [:]
        var rejectedFrames: [String: UInt64] = [:]
        var duplicates: UInt64 = 0
        var invalidEvents: UInt64 = 0
        var unknownEnumValues: UInt64 = 0
    }

    /// Where backups and reports run (`OffLoop`).
    let offLoop: OffLoop
    /// Answers on their way back to their connections' event loops.
    /// Events read and not yet answered; reports step aside while there are any.
    public let owedAcknowledgements: OwedAcknowledgements
    let answerMailboxes: AnswerMailboxes
    /// The daemon's time zone (the store's `meta.time_zone`), fixed for its lifetime.
    let calendar: LocalCalendar

    public init(configuration: DaemonConfiguration, calendar: LocalCalendar, log: any EventLog,
                pseudonymize: @escaping @Sendable (ClientCode) -> Pseudonym, clock: DaemonClock = DaemonClock(),
                version: String, logger: Logger, offLoop: OffLoop = .background) {
        self.offLoop = offLoop
        let owed = OwedAcknowledgements()
        self.owedAcknowledgements = owed
        self.answerMailboxes = AnswerMailboxes(owed: owed)
        self.version = version
        self.clock = clock
        self.startedAtMs = clock.nowMs()
        self.log = log
        self.pseudonymize = pseudonymize
        self.logger = logger
        self.config = Mutex(configuration)
        self.refusalLog = RefusalLog(logger: logger)
        self.backups = BackupDesk(clock: clock, logger: logger)
        self.metrics = DaemonMetrics(version: version, startedAtMs: startedAtMs)
        for site in configuration.sites { metrics.declareSite(site.code) }
        self.rules = Mutex(Self.rules(configuration))
        self.calendar = calendar
        self.counters = Mutex(LiveCounters(sites: configuration.sites, calendar: calendar,
                                           boothTimeoutMs: Int64(configuration.boothTimeoutMinutes) * 60_000))
    }

    public var configuration: DaemonConfiguration { config.withLock { $0 } }

    /// Rebuilds the counters from the log; returns how many events were replayed.
    public func replay() throws -> ReplaySummary {
        let now = clock.nowMs()
        return try counters.withLock { c in
            try log.replay({ c.apply($0, nowMs: now) }, superseded: { c.notice($0) })
        }
    }

    /// Puts a validated configuration in force. Listeners are not rebound (that needs a restart);
    /// everything else takes effect for the next request.
    public func reload(_ new: DaemonConfiguration) {
        config.withLock { $0 = new }
        rules.withLock { $0 = Self.rules(new) }
        counters.withLock { $0.reconfigure(sites: new.sites, boothTimeoutMs: Int64(new.boothTimeoutMinutes) * 60_000) }
        configState.withLock { $0 = "ok" }
        for site in new.sites { metrics.declareSite(site.code) }
        metrics.reloaded(ok: true)
    }

    private static func rules(_ c: DaemonConfiguration) -> EventRules {
        EventRules(sites: c.sites, maxFutureSkewMs: Int64(c.maxFutureSkewSeconds) * 1000,
                   maxSuspensionMs: Int64(c.maxSuspensionMinutes) * 60_000)
    }

    /// How an admin's `Reload` request re-reads the configuration (the runner's SIGHUP path).
    public func setReloader(_ body: @escaping @Sendable () -> StatusError?) { reloader.withLock { $0 = body } }

    /// Re-reads the configuration as SIGHUP does; nil when the new one is in force.
    func requestReload() -> StatusError? {
        guard let body = reloader.withLock({ $0 }) else {
            return StatusError(.unavailable, "reload is not available in this daemon")
        }
        return body()
    }

    /// Records a failed reload, for `Status` and systemd's STATUS= line.
    public func reloadFailed(_ why: String) {
        configState.withLock { $0 = "reload failed: \(why)" }
        metrics.reloaded(ok: false)
    }

    // MARK: events

    /// Validates, pseudonymises, stores and counts one event; `completion` gets the acknowledgement
    /// or the refusal. Nothing is counted or acknowledged before the log reports it stored.
    public func ingest(_ event: Event, by corrector: Corrector = .unknown,
                       completion: @escaping @Sendable (Result<EventAcknowledgement, StatusError>) -> Void) {
        let now = clock.nowMs()
        ingestRate.withLock { $0.record(atMs: now) }
        do {
            try rules.withLock { r throws(StatusError) in try r.check(event, nowMs: now) }
        } catch {
            health.withLock { $0.invalidEvents += 1 }
            completion(.failure(error))
            return
        }
        let local = calendar.localTime(ms: event.header.occurredAtMs)
        if let refusal = keptYearRefusal(local.date.year) {
            health.withLock { $0.invalidEvents += 1 }
            completion(.failure(refusal))
            return
        }
        if event.kind.isCorrection {
            correct(event.corrected(by: corrector), nowMs: now, local: local, completion: completion)
            return
        }
        if case .suspensionLift(let lift) = event, !counters.withLock({ $0.knowsSuspension(lift.suspensionID) }) {
            health.withLock { $0.invalidEvents += 1 }
            completion(.failure(StatusError(.notFound, "suspension_lift.suspension_id: no stored suspension has the id \(lift.suspensionID)")))
            return
        }
        let pseudonymous = event.pseudonymized(pseudonymize)
        log.append(pseudonymous, receivedAtMs: now, local: local) { [self] outcome in
            switch outcome {
            case .stored:
                let until = counters.withLock { c in
                    c.apply(pseudonymous, local: local, nowMs: clock.nowMs())
                    return Self.suspendedUntil(pseudonymous, c)
                }
                metrics.eventStored(site: pseudonymous.header.site, kind: pseudonymous.kind)
                completion(.success(EventAcknowledgement(duplicate: false, suspendedUntilMs: until)))
            case .duplicate:
                health.withLock { $0.duplicates += 1 }
                let until = counters.withLock { Self.suspendedUntil(pseudonymous, $0) }
                completion(.success(EventAcknowledgement(duplicate: true, suspendedUntilMs: until)))
            case .unavailable(let why):
                completion(.failure(StatusError(.unavailable, "cannot store the event now (\(why)); retry later")))
            case .refused(let why):
                completion(.failure(StatusError(.internal, "the store refused the event (\(why)); it is not stored, and a retry will not store it")))
            }
        }
    }

    // MARK: retention

    /// Puts years retention keeps as aggregates into the counters (at start, before the raw
    /// replay, and after each newly aggregated year).
    ///
    /// Only the plan and the swap hold the counters' lock; rebuilding a year's records (about
    /// one per event) happens outside it, so acknowledgements are not held up meanwhile.
    public func applyAggregates(_ kept: RetainedAggregates) {
        guard !kept.years.isEmpty else { return }
        if let plan = counters.withLock({ $0.planAggregates(kept) }) {
            let built = LiveCounters.buildAggregateHistory(kept, plan: plan, calendar: calendar)
            counters.withLock { $0.takeAggregates(kept, built: built) }
        }
        keptYears.withLock { $0.formUnion(kept.years) }
    }

    public func setRetention(years: Int) { retention.withLock { $0.retainYears = UInt32(years) } }
    func retentionDeleted(_ n: Int) { retention.withLock { $0.deleted += UInt64(n) } }
    public func setOldestRawEvent(_ date: LocalDate?) { retention.withLock { $0.oldestRawEvent = date?.description ?? "" } }

    private func keptYearRefusal(_ year: Int) -> StatusError? {
        guard keptYears.withLock({ $0.contains(year) }) else { return nil }
        return StatusError(.invalidArgument, "occurred_at_ms: in \(year), a year retention keeps only as aggregates (retain-years); events that old are no longer accepted")
    }

    /// An intake's client suspended at its site and time: until when (0: not suspended).
    private static func suspendedUntil(_ event: Event, _ c: LiveCounters) -> Int64 {
        guard case .intake(let intake) = event else { return 0 }
        return c.suspendedUntil(intake)
    }

    // MARK: queries

    public func load(site: String?) throws(StatusError) -> LoadSnapshot {
        let now = clock.nowMs()
        let sites: [SiteLoad] = try counters.withLock { c throws(StatusError) in
            if let site, !c.knownSiteCodes.contains(site) {
                throw StatusError(.notFound, "load.site: \"\(EventRules.printable(site))\" is not a configured site (\(c.knownSiteCodes.joined(separator: ", ")))")
            }
            return c.load(site: site, nowMs: now)
        }
        let terminals = health.withLock { $0.connections[.terminal] ?? 0 }
        let eps = ingestRate.withLock { $0.perSecond(overSeconds: 60, nowMs: now) }
        return LoadSnapshot(serverTimeMs: now, uptimeMs: UInt64(max(0, now - startedAtMs)),
                            serverVersion: version, terminalsConnected: terminals, eventsPerSecond: eps, sites: sites)
    }

    /// A report computed on a copy of the counters taken under the lock, so that a long report
    /// (seven years by date, substance and route: a fifth of a second) never holds the lock the
    /// acknowledgements need. The copy shares its storage until the next event changes it
    /// (copy-on-write): taking it costs next to nothing, and it holds only what reports read, so
    /// the first change after it copies little (`ReportSnapshot`). On the off-loop threads it
    /// steps aside between days while acknowledgements are owed (`StepAside`); inline (the
    /// tests' `OffLoop.inline`, on the thread that would pay them) it must not, and does not.
    public func report(_ query: ReportQuery) throws(StatusError) -> Report {
        let copy = counters.withLock { $0.reportSnapshot }
        guard offLoop.stepsAside else { return try copy.report(query) }
        var aside = StepAside(owed: owedAcknowledgements)
        return try copy.report(query, betweenDays: { aside.betweenDays() })
    }

    public func status() -> StatusSnapshot {
        let now = clock.nowMs()
        let h = health.withLock { $0 }
        let rates = ingestRate.withLock { r in
            (r.perSecond(overSeconds: 1, nowMs: now), r.perSecond(overSeconds: 60, nowMs: now),
             r.perSecond(overSeconds: 300, nowMs: now))
        }
        let commits = log.commitStatistics
        let t = transport.withLock { $0 }
        var snapshot = StatusSnapshot(
            serverVersion: version, startedAtMs: startedAtMs, uptimeMs: UInt64(max(0, now - startedAtMs)),
            serverTimeMs: now, connections: h.connections, eventsStored: log.storedByKind,
            ingestPerSecond1s: rates.0, ingestPerSecond1m: rates.1, ingestPerSecond5m: rates.2,
            rejectedFrames: h.rejectedFrames, duplicates: h.duplicates, invalidEvents: h.invalidEvents,
            unknownEnumValues: h.unknownEnumValues, storeCommits: commits.commits,
            storeCommitLastUs: commits.lastMicroseconds, storeCommitMaxUs: commits.maxMicroseconds,
            storeCommitMeanUs: commits.meanMicroseconds, configState: configState.withLock { $0 })
        snapshot.tlsCertificateExpiresMs = t.tlsCertificateExpiresMs
        snapshot.plaintextTCPOffLoopback = t.plaintextTCPOffLoopback
        if let b = backups.lastOutcome {
            snapshot.lastBackupAtMs = b.finishedAtMs
            snapshot.lastBackupResult = b.result
            snapshot.lastBackupPath = b.path
            snapshot.lastBackupEvents = b.events
        }
        let r = retention.withLock { $0 }
        snapshot.oldestRawEvent = r.oldestRawEvent
        snapshot.retainYears = r.retainYears
        snapshot.retentionDeleted = r.deleted
        if let f = forwarder.withLock({ $0 })?.status {
            snapshot.forwardTarget = f.target
            snapshot.forwardForwarded = f.forwarded
            snapshot.forwardLagEvents = f.lagEvents
            snapshot.forwardLagSeconds = f.lagSeconds
            snapshot.forwardLastError = f.lastError
            snapshot.forwardLastErrorAtMs = f.lastErrorAtMs
            snapshot.forwardFailures = f.failures
        }
        return snapshot
    }

    /// One line for systemd's STATUS=: what an operator wants from `systemctl status`.
    public func statusLine() -> String {
        let now = clock.nowMs()
        let terminals = health.withLock { $0.connections[.terminal] ?? 0 }
        let lastMinute = ingestRate.withLock { $0.perSecond(overSeconds: 60, nowMs: now) } * 60
        let booths = counters.withLock { $0.load(site: nil, nowMs: now) }
            .map { "\($0.site) \($0.boothsTaken)/\($0.capacity)" }.joined(separator: ", ")
        let state = configState.withLock { $0 }
        return "\(terminals) terminals, \(Int(lastMinute.rounded())) events in the last minute; booths \(booths)"
            + (state == "ok" ? "" : "; \(state)")
    }

    // MARK: connection bookkeeping

    /// False when the connection limit is reached.
    /// Why a new connection is refused at once, if it is.
    enum ConnectionRefusal {
        case tooMany(limit: Int)
        case tooManyFromPeer(limit: Int)
        case tooManyUnauthenticated(limit: Int)
    }

    /// Counts a new connection from `peer`, or says which limit it is past (and counts nothing).
    /// Connections without Hello have a cap of their own, so silent ones cannot take every place.
    func connectionOpened(peer: String) -> ConnectionRefusal? {
        let c = configuration
        return health.withLock { h in
            if h.open >= c.maxConnections { return .tooMany(limit: c.maxConnections) }
            if h.perPeer[peer, default: 0] >= c.maxConnectionsPerPeer { return .tooManyFromPeer(limit: c.maxConnectionsPerPeer) }
            if h.unauthenticated >= c.maxUnauthenticated { return .tooManyUnauthenticated(limit: c.maxUnauthenticated) }
            h.open += 1
            h.unauthenticated += 1
            h.perPeer[peer, default: 0] += 1
            return nil
        }
    }

    func connectionClosed(role: Role?, peer: String) {
        health.withLock { h in
            h.open -= 1
            if let role { h.connections[role, default: 1] -= 1 } else { h.unauthenticated -= 1 }
            let left = h.perPeer[peer, default: 1] - 1
            h.perPeer[peer] = left > 0 ? left : nil
        }
    }

    func roleGranted(_ role: Role) {
        health.withLock { h in
            h.connections[role, default: 0] += 1
            h.unauthenticated -= 1
        }
    }

    func frameRejected(_ reason: String) { health.withLock { $0.rejectedFrames[reason, default: 0] += 1 } }

    func unknownEnums(_ n: Int) {
        if n > 0 { health.withLock { $0.unknownEnumValues += UInt64(n) } }
    }
}
