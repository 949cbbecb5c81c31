/// The things a room's terminal reports: what happens at a booth, at the door, and suspensions.
public enum EventKind: Int32, RegisteredValue {
    case intake = 1, boothRelease = 2, incident = 3, referral = 4, turnAway = 5, suspension = 6,
        suspensionLift = 7, void = 8, amend = 9, referralOutcome = 10

    public var wireValue: Int32 { rawValue }
    /// Corrections change how earlier events count; they are never counted themselves.
    public var isCorrection: Bool { self == .void || self == .amend || self == .referralOutcome }
    /// Kinds the counters count (suspensions and lifts decide acknowledgements instead).
    public var isCountable: Bool { rawValue <= 5 }
    /// What a correction may name as its target.
    public var isCorrectable: Bool { !isCorrection }
    /// Kinds an Amend may carry as the corrected event.
    public var isAmendable: Bool { self == .intake || self == .incident || self == .referral || self == .turnAway }
    public static var fallback: EventKind { .incident }
    public var label: String {
        switch self {
        case .intake: "intake"
        case .boothRelease: "release"
        case .incident: "incident"
        case .referral: "referral"
        case .turnAway: "turn-away"
        case .suspension: "suspension"
        case .suspensionLift: "suspension-lift"
        case .void: "void"
        case .amend: "amend"
        case .referralOutcome: "referral-outcome"
        }
    }
}
