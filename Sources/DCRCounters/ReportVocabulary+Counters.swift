import DCRModel

/// What each measure counts and which dimensions its events carry: the rules a report query is
/// checked against.
extension Measure {
    static let reportable: [Measure] = [.intakes, .distinctClients, .incidents, .referrals, .turnAways]

    /// The kind of record the measure counts. Distinct clients are counted over intakes only:
    /// the council asks how many people *used* the rooms, and a person met only by a referral
    /// or named in an incident has not used them.
    var recordKind: EventKind? {
        switch self {
        case .intakes, .distinctClients: .intake
        case .incidents: .incident
        case .referrals: .referral
        case .turnAways: .turnAway
        case .unspecified: nil
        }
    }

    var reportName: String {
        switch self {
        case .distinctClients: "distinct clients"
        case .turnAways: "turn-aways"
        default: label
        }
    }
}

extension Dimension {
    /// Calendar dimensions whose value never decreases as the days go by: a report can be
    /// scanned one year, month, week or date at a time, holding only that partition's cells.
    var partitionsTime: Bool {
        self == .year || self == .month || self == .isoWeek || self == .date
    }

    var isCalendar: Bool {
        switch self {
        case .year, .month, .isoWeek, .date, .weekday: true
        default: false
        }
    }

    /// Whether events counted by `measure` carry this dimension at all. Grouping by a field the
    /// events do not have would put every count under "unknown", which reads like data.
    func applies(to measure: Measure) -> Bool {
        switch self {
        case .unspecified: false
        case .site, .year, .month, .isoWeek, .date, .weekday, .hour: true
        case .gender: measure != .incidents
        case .ageBand: measure == .intakes || measure == .distinctClients || measure == .turnAways
        case .substance, .route, .municipality:
            measure == .intakes || measure == .distinctClients
        case .incidentKind, .victimGender: measure == .incidents
        case .referralTarget: measure == .referrals
        case .turnAwayReason: measure == .turnAways
        case .referralScope, .referralAccepted: measure == .referrals
        }
    }

    var reportName: String {
        switch self {
        case .isoWeek: "iso week"
        case .ageBand: "age band"
        case .incidentKind: "incident kind"
        case .victimGender: "victim gender"
        case .referralTarget: "referral target"
        case .turnAwayReason: "turn-away reason"
        case .referralScope: "referral scope"
        case .referralAccepted: "referral accepted"
        default: label
        }
    }
}
