/// Where the help a client is referred to is given: referrals matter by whether they led
/// anywhere, and one inside the room is a different thing from one across town.
public enum ReferralScope: Int32, RegisteredValue {
    case unspecified = 0, inRoom, onSite, offsite

    public var wireValue: Int32 { rawValue }
    public static var fallback: ReferralScope { .unspecified }
    public var label: String {
        switch self {
        case .unspecified: "unknown"
        case .inRoom: "in-room"
        case .onSite: "on-site"
        case .offsite: "offsite"
        }
    }
}

/// Whether the client took up a referral; often only known days later (`ReferralOutcome`).
public enum ReferralAcceptance: Int32, RegisteredValue {
    case unspecified = 0, accepted, declined

    public var wireValue: Int32 { rawValue }
    public static var fallback: ReferralAcceptance { .unspecified }
    public var label: String {
        switch self {
        case .unspecified: "unknown"
        case .accepted: "yes"
        case .declined: "no"
        }
    }
}
