/// How a substance is taken at an intake.
public enum Route: Int32, RegisteredValue {
    case unspecified = 0, injection, smoking, snorting, oral, other

    public var wireValue: Int32 { rawValue }
    public static var fallback: Route { .other }
    public var label: String {
        switch self {
        case .unspecified: "unknown"
        case .injection: "injection"
        case .smoking: "smoking"
        case .snorting: "snorting"
        case .oral: "oral"
        case .other: "other"
        }
    }
}
