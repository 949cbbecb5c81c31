import DCRModel

extension LiveCounters {
    /// Takes back what `apply` counted for `event`, when a correction withdraws it (Void) or
    /// replaces it (Amend, ReferralOutcome: the caller then applies the corrected event).
    ///
    /// Two things stay as they were, and replay keeps them the same way: a booth an intake took
    /// (occupancy is what staff saw, and frees at the release or the booth timeout), and the
    /// site's first day (replay notices every stored event, see `notice`).
    public mutating func remove(_ event: Event, nowMs: Int64) {
        let kind = event.kind
        switch event {
        case .suspension(let s):
            suspensions.remove(s.header.id)
            totalsByKind[SiteWindows.lane(kind)] -= min(1, totalsByKind[SiteWindows.lane(kind)])
            return
        case .suspensionLift(let l):
            suspensions.unlift(l)
            totalsByKind[SiteWindows.lane(kind)] -= min(1, totalsByKind[SiteWindows.lane(kind)])
            return
        case .voiding, .amend, .referralOutcome:
            return
        default:
            break
        }
        totalsByKind[SiteWindows.lane(kind)] -= min(1, totalsByKind[SiteWindows.lane(kind)])
        guard let site = sites.index(of: event.header.site) else { return }
        windows[site].remove(kind, atMs: event.header.occurredAtMs, nowMs: nowMs)
        let local = calendar.localTime(ms: event.header.occurredAtMs)
        guard let record = record(for: event, site: site, local: local) else { return }
        history.remove(record, kind: kind, day: Int32(clamping: local.date.dayNumber))
    }

    /// A stored event that does not count as it is (voided, or replaced by a correction) still
    /// marks its site's first day, as it did when it arrived: replay calls this so the "typical
    /// day" after a restart is what it was before.
    public mutating func notice(_ event: Event) {
        guard event.kind.isCountable, let site = sites.intern(event.header.site) else { return }
        growPerSiteState()
        let day = Int32(clamping: calendar.localTime(ms: event.header.occurredAtMs).date.dayNumber)
        firstDay[site] = min(firstDay[site] ?? day, day)
    }
}
