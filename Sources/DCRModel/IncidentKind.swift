/// The type of a situation report, as the administration is asked to count them (Table 2).
public enum IncidentKind: Int32, RegisteredValue {
    case unspecified = 0, violence, theft, threat, sexualHarassment, sexualAssault, rape,
        overdose, needleStickInjury, weapon, other

    public var wireValue: Int32 { rawValue }
    public static var fallback: IncidentKind { .other }
    public var label: String {
        switch self {
        case .unspecified: "unknown"
        case .violence: "violence"
        case .theft: "theft"
        case .threat: "threat"
        case .sexualHarassment: "sexual-harassment"
        case .sexualAssault: "sexual-assault"
        case .rape: "rape"
        case .overdose: "overdose"
        case .needleStickInjury: "needle-stick-injury"
        case .weapon: "weapon"
        case .other: "other"
        }
    }
}

/// Who was harmed in an incident.
public enum VictimRole: Int32, RegisteredValue {
    case unspecified = 0, client, staff, other

    public var wireValue: Int32 { rawValue }
    public static var fallback: VictimRole { .other }
    public var label: String {
        switch self {
        case .unspecified: "unknown"
        case .client: "client"
        case .staff: "staff"
        case .other: "other"
        }
    }
}

/// What staff did about an overdose; `unspecified` for every other kind of incident.
public enum OverdoseResponse: Int32, RegisteredValue {
    case unspecified = 0, none, oxygen, naloxone, ambulance, other

    public var wireValue: Int32 { rawValue }
    public static var fallback: OverdoseResponse { .other }
    public var label: String {
        switch self {
        case .unspecified: "unknown"
        case .none: "none"
        case .oxygen: "oxygen"
        case .naloxone: "naloxone"
        case .ambulance: "ambulance"
        case .other: "other"
        }
    }
}
