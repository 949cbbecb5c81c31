/// The things a room's terminal reports: what happens at a booth, at the door, and suspensions.
public enum EventKind: Int32, RegisteredValue {
    case intake = 1, boothRelease = 2, incident = 3, referral = 4, turnAway = 5, suspension = 6,
        suspensionLift = 7

    public var wireValue: Int32 { rawValue }
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
        }
    }
}
