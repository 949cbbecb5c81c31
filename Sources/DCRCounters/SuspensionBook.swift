import DCRModel

/// Every suspension the store holds and every lift of one, so an intake's acknowledgement can
/// say whether its client is suspended at that site and time.
///
/// Lifts are kept apart from the suspensions they end, by id: replay runs in order of occurrence,
/// and a lift whose terminal clock is behind may come before its suspension. Either order gives
/// the same book.
struct SuspensionBook: Sendable {
    struct Entry: Sendable, Equatable {
        var client: String
        /// Nil: every site.
        var site: String?
        var fromMs: Int64
        var untilMs: Int64
    }

    private(set) var entries: [EventID: Entry] = [:]
    private var byClient: [String: [EventID]] = [:]
    /// Lift times per suspension id, by the lift's id (a lift can be voided).
    private var lifts: [EventID: [EventID: Int64]] = [:]

    mutating func add(_ s: Suspension) {
        guard let client = s.client.pseudonym?.text, entries[s.header.id] == nil else { return }
        entries[s.header.id] = Entry(client: client, site: s.allSites ? nil : s.header.site,
                                     fromMs: s.fromMs, untilMs: s.untilMs)
        byClient[client, default: []].append(s.header.id)
    }

    mutating func lift(_ l: SuspensionLift) {
        lifts[l.suspensionID, default: [:]][l.header.id] = l.header.occurredAtMs
    }

    /// A voided suspension holds no more.
    mutating func remove(_ id: EventID) {
        guard let e = entries.removeValue(forKey: id) else { return }
        byClient[e.client]?.removeAll { $0 == id }
    }

    /// A voided lift: the suspension holds as if it had not been lifted.
    mutating func unlift(_ l: SuspensionLift) {
        lifts[l.suspensionID]?.removeValue(forKey: l.header.id)
    }

    func contains(_ id: EventID) -> Bool { entries[id] != nil }

    /// The latest end of the suspensions holding `client` at `site` at `atMs`, or nil when none
    /// does. A lifted suspension ends at its lift.
    func suspendedUntil(client: String, site: String, atMs: Int64) -> Int64? {
        var until: Int64?
        for id in byClient[client] ?? [] {
            guard let e = entries[id], e.site == nil || e.site == site else { continue }
            let end = min(e.untilMs, lifts[id]?.values.min() ?? .max)
            if e.fromMs <= atMs && atMs < end { until = max(until ?? end, end) }
        }
        return until
    }
}

extension LiveCounters {
    /// Until when the intake's client is suspended at its site and time, or 0 when not.
    public func suspendedUntil(_ intake: Intake) -> Int64 {
        guard let client = intake.client.pseudonym?.text else { return 0 }
        return suspensions.suspendedUntil(client: client, site: intake.header.site,
                                          atMs: intake.header.occurredAtMs) ?? 0
    }

    /// Whether a suspension with this id has been counted: what a lift may name.
    public func knowsSuspension(_ id: EventID) -> Bool { suspensions.contains(id) }
}
