/// Why a client was suspended from a room. An enumeration, not free text: a note typed at a
/// terminal could carry a client's code into the store.
public enum SuspensionReason: Int32, RegisteredValue {
    case unspecified = 0, violence, threat, theft, dealing, other

    public var wireValue: Int32 { rawValue }
    public static var fallback: SuspensionReason { .other }
    public var label: String {
        switch self {
        case .unspecified: "unknown"
        case .violence: "violence"
        case .threat: "threat"
        case .theft: "theft"
        case .dealing: "dealing"
        case .other: "other"
        }
    }
}
