/// A client may not use a room (one site, or all) for a while, e.g. after a conflict: the
/// documents allow "up to 24 hours". The room still decides at the door: an intake for a
/// suspended client is stored and acknowledged, and the acknowledgement says until when.
public struct Suspension: Sendable, Hashable {
    public var header: EventHeader
    public var client: ClientRef
    /// Unix milliseconds; the suspension holds from `fromMs` (inclusive) to `untilMs` (exclusive).
    public var fromMs: Int64
    public var untilMs: Int64
    public var reason: SuspensionReason
    /// True: every site; false: only `header.site`.
    public var allSites: Bool

    public init(header: EventHeader, client: ClientRef, fromMs: Int64, untilMs: Int64,
                reason: SuspensionReason, allSites: Bool = false) {
        self.header = header
        self.client = client
        self.fromMs = fromMs
        self.untilMs = untilMs
        self.reason = reason
        self.allSites = allSites
    }
}

/// A suspension ends early, at the lift's `occurredAtMs`. An event of its own, so the store keeps
/// both what was decided and when it was undone.
public struct SuspensionLift: Sendable, Hashable {
    public var header: EventHeader
    /// The `event_id` of the stored `Suspension` this ends.
    public var suspensionID: EventID

    public init(header: EventHeader, suspensionID: EventID) {
        self.header = header
        self.suspensionID = suspensionID
    }
}
