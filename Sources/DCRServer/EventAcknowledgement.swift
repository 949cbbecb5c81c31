/// What the daemon tells the terminal about a stored event, beyond "stored".
public struct EventAcknowledgement: Sendable, Hashable {
    /// The event was already stored (a resend): nothing was counted again.
    public var duplicate: Bool
    /// Intakes only: the client is suspended at the intake's site and time until this instant
    /// (Unix milliseconds), so the terminal can warn the staff; 0 when not suspended.
    public var suspendedUntilMs: Int64

    public init(duplicate: Bool, suspendedUntilMs: Int64 = 0) {
        self.duplicate = duplicate
        self.suspendedUntilMs = suspendedUntilMs
    }
}
