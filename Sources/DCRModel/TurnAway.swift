/// Someone was turned away at the door. Counted by reason, site, day, gender and age band; never
/// as an intake or as a client of the room.
public struct TurnAway: Sendable, Hashable {
    public var header: EventHeader
    public var reason: TurnAwayReason
    /// Nil when the person has no client code (a first visit).
    public var client: ClientRef?
    public var gender: Gender
    /// Years; 0 = unknown.
    public var age: UInt32

    public init(header: EventHeader, reason: TurnAwayReason, client: ClientRef? = nil,
                gender: Gender = .unspecified, age: UInt32 = 0) {
        self.header = header
        self.reason = reason
        self.client = client
        self.gender = gender
        self.age = age
    }
}
