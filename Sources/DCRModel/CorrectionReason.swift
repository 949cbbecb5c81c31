/// Why an earlier event is corrected. An enumeration, not free text: a note typed at a terminal
/// could carry a client's code into the store.
public enum CorrectionReason: Int32, RegisteredValue {
    case unspecified = 0, wrongClient, enteredTwice, wrongDetails, other

    public var wireValue: Int32 { rawValue }
    public static var fallback: CorrectionReason { .other }
    public var label: String {
        switch self {
        case .unspecified: "unknown"
        case .wrongClient: "wrong-client"
        case .enteredTwice: "entered-twice"
        case .wrongDetails: "wrong-details"
        case .other: "other"
        }
    }
}
