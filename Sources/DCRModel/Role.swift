/// What a connection may do. Roles are ordered: an admin may do all a monitor may.
public enum Role: Int32, RegisteredValue {
    case unspecified = 0, terminal = 1, monitor = 2, admin = 3

    public var wireValue: Int32 { rawValue }
    public static var fallback: Role { .unspecified }
    public var label: String {
        switch self {
        case .unspecified: "none"
        case .terminal: "terminal"
        case .monitor: "monitor"
        case .admin: "admin"
        }
    }
}
