/// Why staff turned someone away at the door: the reasons programmes report (young first-time
/// users are not let in; a suspended client; a full room).
public enum TurnAwayReason: Int32, RegisteredValue {
    case unspecified = 0, firstTimeUser, underAge, intoxicated, suspended, roomFull, other

    public var wireValue: Int32 { rawValue }
    public static var fallback: TurnAwayReason { .other }
    public var label: String {
        switch self {
        case .unspecified: "unknown"
        case .firstTimeUser: "first-time-user"
        case .underAge: "under-age"
        case .intoxicated: "intoxicated"
        case .suspended: "suspended"
        case .roomFull: "room-full"
        case .other: "other"
        }
    }
}
