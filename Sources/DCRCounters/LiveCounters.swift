import DCRModel

/// The daemon's whole in-memory view of the stored events: rolling windows and booths for the
/// live dashboard, a compact day-by-day history for exact reports, and totals for `Status`.
///
/// It is a value with no clock, no I/O and no locks: the caller passes the time in, owns the one
/// copy that is mutated, and may hand out copies to readers. That makes every edge (an event
/// exactly 5 minutes old, a ring idle for a week, the autumn hour that happens twice) a plain
/// unit test, and lets the replay at start-up rebuild exactly what live ingest built.
public struct LiveCounters: Sendable {
    public let calendar: LocalCalendar
    /// A booth not released within this time of its intake counts as free again.
    public private(set) var boothTimeoutMs: Int64

    var sites: SiteDirectory
    var windows: [SiteWindows] = []
    var booths: [BoothBoard] = []
    /// Per site index: the first local day with any event, where "a normal Tuesday" can start.
    var firstDay: [Int32?] = []
    var history = DayHistory()
    var clients = ClientDirectory()
    /// Years whose raw events retention deletes: their history holds records rebuilt from the
    /// kept counts (no clients), and distinct clients come from `aggregateClients`.
    public internal(set) var aggregatedYears: Set<Int> = []
    var aggregateClients: [AggregateClients] = []
    var totalsByKind = [UInt64](repeating: 0, count: EventKind.allCases.count)
    var suspensions = SuspensionBook()

    public init(sites: [Site], calendar: LocalCalendar, boothTimeoutMs: Int64 = 45 * 60_000) {
        self.calendar = calendar
        self.boothTimeoutMs = boothTimeoutMs
        self.sites = SiteDirectory(configured: sites)
        growPerSiteState()
    }

    /// A reload: capacities and the booth timeout change, new sites appear. Counts are never
    /// dropped, not even those of a site that is no longer configured: its history stays
    /// reportable and it comes back with its counts if configured again.
    public mutating func reconfigure(sites newSites: [Site], boothTimeoutMs: Int64) {
        sites.configure(newSites)
        self.boothTimeoutMs = boothTimeoutMs
        growPerSiteState()
    }

    /// Counts an accepted, pseudonymised event where it belongs in time.
    ///
    /// `nowMs` only decides what the live windows can still see: an event uploaded a day late
    /// still lands on its own day in the history but no longer in the 5-minute window. Duplicates
    /// are filtered by the store before this; counting twice here would be a store bug. A client
    /// still given as a raw code (never, once pseudonymised) is counted without a client.
    public mutating func apply(_ event: Event, nowMs: Int64) {
        apply(event, local: calendar.localTime(ms: event.header.occurredAtMs), nowMs: nowMs)
    }

    /// `apply(_:nowMs:)` with the event's local time already worked out (`calendar.localTime`
    /// of its `occurredAtMs`): the daemon computes it once per event, for the store and here.
    public mutating func apply(_ event: Event, local: LocalTime, nowMs: Int64) {
        let kind = event.kind
        totalsByKind[SiteWindows.lane(kind)] += 1
        let header = event.header
        switch event {
        case .suspension(let s): suspensions.add(s); return
        case .suspensionLift(let l): suspensions.lift(l); return
        case .voiding, .amend, .referralOutcome: return  // the caller counts their effect
        default: break
        }
        guard let site = sites.intern(header.site) else { return }
        growPerSiteState()

        let day = Int32(clamping: local.date.dayNumber)
        firstDay[site] = min(firstDay[site] ?? day, day)
        windows[site].record(kind, atMs: header.occurredAtMs, nowMs: nowMs)
        switch event {
        case .intake: booths[site].intake(booth: header.booth, atMs: header.occurredAtMs)
        case .boothRelease: booths[site].release(booth: header.booth, atMs: header.occurredAtMs)
        default: break
        }
        guard let record = record(for: event, site: site, local: local) else { return }
        // A year kept as aggregates has them in the history already (its raw rest is left to
        // retention); counting the raw events too would count them twice.
        if !aggregatedYears.isEmpty && aggregatedYears.contains(local.date.year) { return }
        history.insert(record, kind: kind, day: day)
    }

    /// The day history's record of a reportable event; nil for the kinds it does not hold.
    mutating func record(for event: Event, site: Int, local: LocalTime) -> EventRecord? {
        var record = EventRecord(occurredAtMs: event.header.occurredAtMs,
                                 client: clients.index(of: event.client),
                                 minuteOfDay: local.hour * 60 + local.minute, site: UInt8(site))
        switch event {
        case .intake(let e):
            record.gender = e.gender.code
            record.ageBand = AgeBand(age: e.age).code
            // Validation refuses codes beyond 0…999; should one reach us anyway, it is unknown.
            record.municipality = e.municipality < UInt32(ReportAxis.municipalityCount) ? UInt16(e.municipality) : 0
            record.substance = e.substance.code
            record.route = e.route.code
        case .boothRelease:
            return nil
        case .incident(let e):
            record.incidentKind = e.kind.code
            record.victimGender = e.victimGender.code
        case .referral(let e):
            record.gender = e.gender.code
            record.referralTarget = e.target.code
            record.referralScope = e.scope.code
            record.referralAccepted = e.accepted.code
        case .turnAway(let e):
            record.gender = e.gender.code
            record.ageBand = AgeBand(age: e.age).code
            record.turnAwayReason = e.reason.code
        case .suspension, .suspensionLift, .voiding, .amend, .referralOutcome:
            return nil  // no counts: they decide acknowledgements, or change other events
        }
        return record
    }

    /// Events counted per kind since these counters were created (after the start-up replay: the
    /// whole store), cumulative and never reset on read, as monitoring tools expect.
    public func total(_ kind: EventKind) -> UInt64 { totalsByKind[SiteWindows.lane(kind)] }

    public var totals: [EventKind: UInt64] {
        Dictionary(uniqueKeysWithValues: EventKind.allCases.filter(\.isCountable).map { ($0, total($0)) })
    }

    /// Events of `kind` at `site` in the current second and the `seconds - 1` before it (exact
    /// to the second up to an hour, to the minute up to 24 hours); 0 for a site never seen.
    public func window(site: String, kind: EventKind, seconds: Int, nowMs: Int64) -> UInt64 {
        guard let i = sites.index(of: site) else { return 0 }
        return windows[i].sum(kind, seconds: seconds, nowMs: nowMs)
    }

    /// Configured sites in configuration order.
    public var configuredSites: [Site] { sites.configured }

    /// Every site with counts or configuration: what a report's site filter may name.
    public var knownSiteCodes: [String] { sites.codes }

    /// Distinct pseudonyms ever counted: the size the distinct-clients reports work with.
    public var clientCount: Int { clients.count }

    /// Reportable events (intakes, incidents, referrals) held in the day history.
    public var historyEventCount: Int { history.recordCount }

    mutating func growPerSiteState() {
        while windows.count < sites.codes.count {
            windows.append(SiteWindows())
            booths.append(BoothBoard())
            firstDay.append(nil)
        }
    }
}
