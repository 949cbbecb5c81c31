/// The four things a booth terminal reports.
public enum EventKind: Int32, RegisteredValue {
    case intake = 1, boothRelease = 2, incident = 3, referral = 4

    public var wireValue: Int32 { rawValue }
    public static var fallback: EventKind { .incident }
    public var label: String {
        switch self {
        case .intake: "intake"
        case .boothRelease: "release"
        case .incident: "incident"
        case .referral: "referral"
        }
    }
}
