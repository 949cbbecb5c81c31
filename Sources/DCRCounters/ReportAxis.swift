import DCRModel

/// One `group_by` dimension of a report, as an axis of the report's count table: how many values
/// it has in this report, its stride in the table's mixed-radix index, and how to read a value
/// off a record (`EventRecord.value(_:)`, or for calendar dimensions off the record's day) and turn it into a label.
///
/// Axes are in `group_by` order with the first one most significant, so the table's index order
/// is the rows' sort order: calendar values chronologically, sites in configuration order,
/// registered values in their wire order (male before female, as the council's tables print),
/// municipalities numerically.
struct ReportAxis: Sendable {
    let dimension: Dimension
    /// Values this axis can take in this report.
    private(set) var cardinality: Int
    /// Calendar axes only: the value of each day of the report's day range, and each value's label.
    private(set) var dayValues: [Int] = []
    private var calendarLabels: [String] = []
    var stride = 1

    static let municipalityCount = 1_000

    /// An axis read off records. `siteCount` is the number of known sites.
    init(record dimension: Dimension, siteCount: Int) {
        self.dimension = dimension
        switch dimension {
        case .site: cardinality = max(siteCount, 1)
        case .hour: cardinality = 24
        case .gender, .victimGender: cardinality = Gender.codeCount
        case .ageBand: cardinality = AgeBand.codeCount
        case .substance: cardinality = Substance.codeCount
        case .route: cardinality = Route.codeCount
        case .municipality: cardinality = Self.municipalityCount
        case .incidentKind: cardinality = IncidentKind.codeCount
        case .referralTarget: cardinality = ReferralTarget.codeCount
        case .turnAwayReason: cardinality = TurnAwayReason.codeCount
        case .referralScope: cardinality = ReferralScope.codeCount
        case .referralAccepted: cardinality = ReferralAcceptance.codeCount
        default: cardinality = 1
        }
    }

    /// A calendar axis over `days` (ascending local day numbers). Year, month, ISO week and date
    /// only take the values that occur, numbered in order, so a seven-year report by date has
    /// as many rows in its table as days with events, not days since 1970.
    init(calendar dimension: Dimension, days: ArraySlice<Int32>) {
        self.dimension = dimension
        if dimension == .weekday {
            cardinality = 7
            calendarLabels = ["1-Mon", "2-Tue", "3-Wed", "4-Thu", "5-Fri", "6-Sat", "7-Sun"]
            dayValues = days.map { LocalDate(dayNumber: Int($0)).isoWeekday - 1 }
            return
        }
        cardinality = 0
        var previousKey: Int?
        dayValues.reserveCapacity(days.count)
        for day in days {
            let date = LocalDate(dayNumber: Int(day))
            let key: Int
            switch dimension {
            case .year: key = date.year
            case .month: key = date.year * 12 + date.month
            case .isoWeek: key = date.isoWeek.year * 100 + date.isoWeek.week
            default: key = Int(day)
            }
            if key != previousKey {
                previousKey = key
                cardinality += 1
                calendarLabels.append(Self.calendarLabel(dimension, date))
            }
            dayValues.append(cardinality - 1)
        }
        cardinality = max(cardinality, 1)
    }

    func label(_ value: Int, siteCodes: [String]) -> String {
        func enumLabel<T: RegisteredValue & RawRepresentable>(_: T.Type) -> String where T.RawValue == Int32 {
            T(rawValue: Int32(value))?.label ?? String(value)
        }
        switch dimension {
        case .year, .month, .isoWeek, .date, .weekday:
            // A period without days has one (empty) calendar value and no label for it.
            return value < calendarLabels.count ? calendarLabels[value] : ""
        case .site: return value < siteCodes.count ? siteCodes[value] : String(value)
        case .hour: return Self.twoDigits(value)
        case .gender, .victimGender: return enumLabel(Gender.self)
        case .ageBand: return enumLabel(AgeBand.self)
        case .substance: return enumLabel(Substance.self)
        case .route: return enumLabel(Route.self)
        case .incidentKind: return enumLabel(IncidentKind.self)
        case .referralTarget: return enumLabel(ReferralTarget.self)
        case .turnAwayReason: return enumLabel(TurnAwayReason.self)
        case .referralScope: return enumLabel(ReferralScope.self)
        case .referralAccepted: return enumLabel(ReferralAcceptance.self)
        case .municipality, .unspecified: return String(value)
        }
    }

    /// Labels that also sort chronologically as plain text, for spreadsheets and `sort`:
    /// "2022", "2022-12", "2022-W51" (ISO week-numbering year), "2022-12-18".
    static func calendarLabel(_ dimension: Dimension, _ date: LocalDate) -> String {
        switch dimension {
        case .year: return String(date.year)
        case .month: return "\(date.year)-\(twoDigits(date.month))"
        case .isoWeek:
            let w = date.isoWeek
            return "\(w.year)-W\(twoDigits(w.week))"
        default: return date.description
        }
    }

    static func twoDigits(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
}
