import DCRModel
@testable import DCRCounters

/// Builders for events and instants, so each test reads as the situation it describes.
enum Fixture {
    static let calendar = LocalCalendar(identifier: "Europe/Copenhagen")!
    static let sites = [Site(code: "H17", capacity: 12), Site(code: "SKYEN", capacity: 6),
                        Site(code: "MOBILE", capacity: 2)]

    static func counters(boothTimeoutMs: Int64 = 45 * 60_000) -> LiveCounters {
        LiveCounters(sites: sites, calendar: calendar, boothTimeoutMs: boothTimeoutMs)
    }

    /// The instant of a Copenhagen wall-clock time (the first one, in the autumn repeated hour).
    static func at(_ y: Int, _ mo: Int, _ d: Int, _ h: Int = 12, _ mi: Int = 0, _ s: Int = 0) -> Int64 {
        calendar.instant(date: LocalDate(year: y, month: mo, day: d), hour: h, minute: mi, second: s)
    }

    static func date(_ y: Int, _ mo: Int, _ d: Int) -> LocalDate { LocalDate(year: y, month: mo, day: d) }

    static func header(_ site: String, _ atMs: Int64, _ booth: UInt32) -> EventHeader {
        EventHeader(id: EventID(high: UInt64(bitPattern: atMs), low: UInt64(booth)), site: site,
                    occurredAtMs: atMs, booth: booth)
    }

    static func client(_ name: String) -> ClientRef { .pseudonym(Pseudonym(text: name)) }

    static func intake(_ site: String = "H17", at: Int64, booth: UInt32 = 0, client: String = "c1",
                       gender: Gender = .male, age: UInt32 = 35, municipality: UInt32 = 101,
                       substance: Substance = .cocaine, route: Route = .injection) -> Event {
        .intake(Intake(header: header(site, at, booth), client: Self.client(client), gender: gender,
                       age: age, municipality: municipality, substance: substance, route: route))
    }

    static func release(_ site: String = "H17", at: Int64, booth: UInt32) -> Event {
        .boothRelease(BoothRelease(header: header(site, at, booth)))
    }

    static func incident(_ site: String = "H17", at: Int64, kind: IncidentKind = .violence,
                         victim: Gender = .male, role: VictimRole = .client,
                         client: String? = nil) -> Event {
        .incident(Incident(header: header(site, at, 0), kind: kind, victimGender: victim,
                           victimRole: role, client: client.map(Self.client)))
    }

    static func referral(_ site: String = "H17", at: Int64, client: String = "c1",
                         gender: Gender = .male, target: ReferralTarget = .drugTreatment) -> Event {
        .referral(Referral(header: header(site, at, 0), client: Self.client(client), gender: gender,
                           target: target))
    }
}

extension LiveCounters {
    /// Applies events as if each arrived at `nowMs` (default: when it happened).
    mutating func apply(_ events: [Event], nowMs: Int64? = nil) {
        for e in events { apply(e, nowMs: nowMs ?? e.header.occurredAtMs) }
    }

    /// Applies one event as if it arrived when it happened.
    mutating func apply(_ event: Event) { apply(event, nowMs: event.header.occurredAtMs) }

    func rows(_ query: ReportQuery) throws -> [[String]: UInt64] {
        Dictionary(uniqueKeysWithValues: try report(query).rows.map { ($0.keys, $0.count) })
    }
}
