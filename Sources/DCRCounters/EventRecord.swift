import DCRModel

/// One reportable event, reduced to the small integers a report groups by: 27 bytes (a stride of
/// 32), no class, no string, so seven years and a million events fit in about 32 MB and scan in
/// milliseconds.
///
/// The local day is not stored: records live in the bucket of their day. Fields that do not apply
/// to a kind are 0 (the enums' "unspecified"), and records of different kinds live in different
/// arrays, so a kind field is not needed either.
struct EventRecord: Sendable, Equatable {
    /// Kept exactly so that "the client's latest event" is decided by time, not by arrival.
    var occurredAtMs: Int64
    /// Interned pseudonym (see `ClientDirectory`), or `EventRecord.noClient`.
    var client: UInt32
    var municipality: UInt16
    /// Local wall-clock minute of the day (hour × 60 + minute): on the autumn change day 02:30
    /// happens twice and both are minute 150; in the spring gap no event has 02:xx.
    var minuteOfDay: UInt16
    var site: UInt8
    var gender: UInt8
    var ageBand: UInt8
    var substance: UInt8
    var route: UInt8
    var incidentKind: UInt8
    var victimGender: UInt8
    var referralTarget: UInt8
    var turnAwayReason: UInt8
    var referralScope: UInt8
    var referralAccepted: UInt8

    static let noClient: UInt32 = 0xFFFF_FFFF

    var hour: Int { Int(minuteOfDay) / 60 }

    init(occurredAtMs: Int64, client: UInt32, minuteOfDay: Int, site: UInt8) {
        self.occurredAtMs = occurredAtMs
        self.client = client
        self.municipality = 0
        self.minuteOfDay = UInt16(minuteOfDay)
        self.site = site
        self.gender = 0
        self.ageBand = 0
        self.substance = 0
        self.route = 0
        self.incidentKind = 0
        self.victimGender = 0
        self.referralTarget = 0
        self.turnAwayReason = 0
        self.referralScope = 0
        self.referralAccepted = 0
    }
}

/// Small raw values of the domain's enums, as records store them.
extension RegisteredValue where Self: RawRepresentable, RawValue == Int32 {
    var code: UInt8 { UInt8(clamping: rawValue) }
    /// How many codes the type can produce: the size of its axis in a report's count table.
    /// Computed from `allCases` on each call: keep it out of per-record loops.
    static var codeCount: Int { Int(allCases.map(\.rawValue).max() ?? 0) + 1 }
}

extension EventRecord {
    /// The record's value for a dimension read off records (not calendar ones, which come from
    /// the record's day): the raw code, which is also its position on a report axis.
    @inline(__always)
    func value(_ dimension: Dimension) -> Int {
        switch dimension {
        case .site: Int(site)
        case .hour: hour
        case .gender: Int(gender)
        case .ageBand: Int(ageBand)
        case .substance: Int(substance)
        case .route: Int(route)
        case .municipality: Int(municipality)
        case .incidentKind: Int(incidentKind)
        case .victimGender: Int(victimGender)
        case .referralTarget: Int(referralTarget)
        case .turnAwayReason: Int(turnAwayReason)
        case .referralScope: Int(referralScope)
        case .referralAccepted: Int(referralAccepted)
        case .unspecified, .year, .month, .isoWeek, .date, .weekday: 0
        }
    }
}
