/// Registered gender of a client or incident victim. Nothing else about identity is recorded.
public enum Gender: Int32, RegisteredValue {
    case unspecified = 0, male = 1, female = 2, other = 3

    public var wireValue: Int32 { rawValue }
    public static var fallback: Gender { .other }
    public var label: String {
        switch self {
        case .unspecified: "unknown"
        case .male: "male"
        case .female: "female"
        case .other: "other"
        }
    }
}
