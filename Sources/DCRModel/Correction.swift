/// Who made a correction: the terminal's name (its Hello) and the role it had. Set by the
/// daemon from the connection, never taken from the message, so a correction cannot claim to
/// come from someone else.
public struct Corrector: Sendable, Hashable {
    public var name: String
    public var role: Role

    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }

    public static let unknown = Corrector(name: "", role: .unspecified)
}

/// An earlier event did not happen as stored (entered twice, wrong client): it stops counting.
/// The event itself stays in the store; this is an event of its own.
public struct Voiding: Sendable, Hashable {
    public var header: EventHeader
    public var targetID: EventID
    public var reason: CorrectionReason
    public var by: Corrector

    public init(header: EventHeader, targetID: EventID, reason: CorrectionReason, by: Corrector = .unknown) {
        self.header = header
        self.targetID = targetID
        self.reason = reason
        self.by = by
    }
}

/// An earlier event happened, but with other fields: from now on it counts as `corrected`
/// (same kind; its header's id is the target's).
public struct Amend: Sendable, Hashable {
    public var header: EventHeader
    public var targetID: EventID
    public var reason: CorrectionReason
    public var corrected: Event
    public var by: Corrector

    public init(header: EventHeader, targetID: EventID, reason: CorrectionReason, corrected: Event,
                by: Corrector = .unknown) {
        self.header = header
        self.targetID = targetID
        self.reason = reason
        self.corrected = corrected
        self.by = by
    }
}

/// A referral led somewhere, or not: sets `accepted` on an earlier referral.
public struct ReferralOutcome: Sendable, Hashable {
    public var header: EventHeader
    public var referralID: EventID
    public var accepted: ReferralAcceptance
    public var by: Corrector

    public init(header: EventHeader, referralID: EventID, accepted: ReferralAcceptance, by: Corrector = .unknown) {
        self.header = header
        self.referralID = referralID
        self.accepted = accepted
        self.by = by
    }
}
