/// What retention keeps of a year whose raw events it deletes: counts only, no pseudonym.
///
/// Event counts keep every report column (per local date, hour, site and kind), so every event
/// report stays exact. Distinct clients cannot be added up across periods, so they are kept per
/// year and per month, per site and for every site together, under the attributes of each
/// client's latest intake in that period and scope, as reports count them.
public struct AggregateEvents: Sendable, Hashable {
    public var date: LocalDate
    public var hour: Int
    public var site: String
    public var kind: EventKind
    public var gender: Int32
    public var age: UInt32
    public var municipality: UInt32
    public var substance: Int32
    public var route: Int32
    public var incidentKind: Int32
    public var victimGender: Int32
    public var victimRole: Int32
    public var overdoseResponse: Int32
    public var referralTarget: Int32
    public var events: UInt64

    public init(date: LocalDate, hour: Int, site: String, kind: EventKind, gender: Int32 = 0, age: UInt32 = 0,
                municipality: UInt32 = 0, substance: Int32 = 0, route: Int32 = 0, incidentKind: Int32 = 0,
                victimGender: Int32 = 0, victimRole: Int32 = 0, overdoseResponse: Int32 = 0,
                referralTarget: Int32 = 0, events: UInt64) {
        self.date = date
        self.hour = hour
        self.site = site
        self.kind = kind
        self.gender = gender
        self.age = age
        self.municipality = municipality
        self.substance = substance
        self.route = route
        self.incidentKind = incidentKind
        self.victimGender = victimGender
        self.victimRole = victimRole
        self.overdoseResponse = overdoseResponse
        self.referralTarget = referralTarget
        self.events = events
    }
}

/// Distinct clients with an intake in one year (`month` 0) or month, at one site (`site`
/// "": every site), under one combination of their latest gender, age band and municipality.
public struct AggregateClients: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var site: String
    public var gender: Int32
    public var ageBand: Int32
    public var municipality: UInt32
    public var clients: UInt64

    public init(year: Int, month: Int, site: String, gender: Int32, ageBand: Int32, municipality: UInt32, clients: UInt64) {
        self.year = year
        self.month = month
        self.site = site
        self.gender = gender
        self.ageBand = ageBand
        self.municipality = municipality
        self.clients = clients
    }
}

/// Everything retention has kept as aggregates, for replay and reports.
public struct RetainedAggregates: Sendable, Hashable {
    public var years: Set<Int> = []
    public var events: [AggregateEvents] = []
    public var clients: [AggregateClients] = []
    public init() {}
}
