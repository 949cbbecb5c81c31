/// What a report counts.
public enum Measure: Int32, RegisteredValue {
    case unspecified = 0, intakes, distinctClients, incidents, referrals, turnAways

    public var wireValue: Int32 { rawValue }
    public static var fallback: Measure { .unspecified }
    public var label: String {
        switch self {
        case .unspecified: "unknown"
        case .intakes: "intakes"
        case .distinctClients: "clients"
        case .incidents: "incidents"
        case .referrals: "referrals"
        case .turnAways: "turn-aways"
        }
    }
}

/// What a report's rows are grouped by.
public enum Dimension: Int32, RegisteredValue {
    case unspecified = 0, site, year, month, isoWeek, date, weekday, hour, gender, ageBand,
        substance, route, municipality, incidentKind, victimGender, referralTarget, turnAwayReason,
        referralScope, referralAccepted

    public var wireValue: Int32 { rawValue }
    public static var fallback: Dimension { .unspecified }
    public var label: String {
        switch self {
        case .unspecified: "unknown"
        case .site: "site"
        case .year: "year"
        case .month: "month"
        case .isoWeek: "week"
        case .date: "date"
        case .weekday: "weekday"
        case .hour: "hour"
        case .gender: "gender"
        case .ageBand: "age"
        case .substance: "substance"
        case .route: "route"
        case .municipality: "municipality"
        case .incidentKind: "incident-kind"
        case .victimGender: "victim-gender"
        case .referralTarget: "target"
        case .turnAwayReason: "reason"
        case .referralScope: "scope"
        case .referralAccepted: "accepted"
        }
    }

    /// Dimensions that describe the client rather than the event: for distinct clients a client
    /// counts once per group, under the values of their latest event in the period.
    public var isClientAttribute: Bool {
        self == .gender || self == .ageBand || self == .municipality
    }
}
