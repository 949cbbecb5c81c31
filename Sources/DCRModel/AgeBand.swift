/// Age bands as published reports use them ("most are in their 30s, ages up to 60").
public enum AgeBand: Int32, RegisteredValue {
    case unknown = 0, under18, from18to29, from30to39, from40to49, from50to59, from60

    public init(age: UInt32) {
        switch age {
        case 0: self = .unknown
        case ..<18: self = .under18
        case 18...29: self = .from18to29
        case 30...39: self = .from30to39
        case 40...49: self = .from40to49
        case 50...59: self = .from50to59
        default: self = .from60
        }
    }

    public var wireValue: Int32 { rawValue }
    public static var fallback: AgeBand { .unknown }
    public var label: String {
        switch self {
        case .unknown: "unknown"
        case .under18: "under-18"
        case .from18to29: "18-29"
        case .from30to39: "30-39"
        case .from40to49: "40-49"
        case .from50to59: "50-59"
        case .from60: "60+"
        }
    }
}
