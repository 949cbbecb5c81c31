import DCRModel

/// A seeded, pure generator of realistic room activity, one local day at a time.
///
/// It acts as the booth terminals of the configured sites: intakes (a client takes a free booth),
/// releases after the session, situation reports and referrals, with raw client codes (the
/// daemon pseudonymises them). It reads no clock: the caller says which day to start on, and
/// the same settings and start day always give the same events.
public struct RoomSimulator: Sendable {
    public let settings: SimulatorSettings
    public let calendar: LocalCalendar
    /// The day `nextDay()` generates.
    public private(set) var nextDate: LocalDate
    /// Intakes not made because every booth stayed taken longer than a client waits.
    public private(set) var turnedAway = 0

    private var rng: SplitMix64
    private var pools: [ClientPool]
    private var codes: Set<String> = []

    public init(settings: SimulatorSettings, start: LocalDate, calendar: LocalCalendar) {
        self.settings = settings
        self.calendar = calendar
        self.nextDate = start
        var rng = SplitMix64(seed: settings.seed ^ 0x6463_7273_696D_0001)
        var codes = Set<String>()
        pools = settings.sites.map { site in
            let size = Int((site.intakesPerDay * 56 / settings.visitsPerClientIn8Weeks).rounded())
            return ClientPool(size: size, day: start.dayNumber, settings: settings, codes: &codes, rng: &rng)
        }
        self.rng = rng
        self.codes = codes
    }

    /// The events of `nextDate`, sorted by time (releases before intakes at the same instant),
    /// then moves on to the following day.
    public mutating func nextDay() -> [Event] {
        let date = nextDate
        nextDate = date.adding(days: 1)
        var events: [Event] = []
        for index in settings.sites.indices {
            pools[index].turnOver(day: date.dayNumber, settings: settings, codes: &codes, rng: &rng)
            simulate(site: index, on: date, into: &events)
        }
        events.sort { a, b in
            let ta = a.header.occurredAtMs, tb = b.header.occurredAtMs
            if ta != tb { return ta < tb }
            return (a.kind == .boothRelease ? 0 : 1) < (b.kind == .boothRelease ? 0 : 1)
        }
        return events
    }

    /// Every event from `start` up to (not including) the instant `endMs`.
    public mutating func events(untilMs endMs: Int64) -> [Event] {
        var out: [Event] = []
        while calendar.startOfDay(nextDate) < endMs {
            out += nextDay().filter { $0.header.occurredAtMs < endMs }
        }
        return out
    }

    /// How busy `date` is against a plain weekday.
    public func dayFactor(_ date: LocalDate) -> Double {
        var f = 1.0
        if date.isoWeekday == 5 { f *= settings.fridayFactor }
        if settings.paydayDays.contains(date.day) { f *= settings.paydayFactor }
        return f
    }

    /// A local second of the day for an arrival: `middayShare` between 12 and 18, the rest in the
    /// morning and the evening.
    private mutating func arrivalSecond() -> Int {
        let s = settings
        let x = rng.unit()
        let noon = 12 * 3600, six = 18 * 3600
        if x < s.middayShare { return rng.int(noon...(six - 1)) }
        if x < s.middayShare + (1 - s.middayShare) * s.morningShareOfRest { return rng.int(s.opening...(noon - 1)) }
        return rng.int(six...s.lastIntake)
    }

    private func instant(_ date: LocalDate, _ second: Int) -> Int64 {
        calendar.instant(date: date, hour: second / 3600, minute: second % 3600 / 60, second: second % 60)
    }

    private mutating func id() -> EventID { EventID.random(using: &rng) }

    static let incidentKinds: [(IncidentKind, Double)] = [
        (.violence, 0.42), (.threat, 0.28), (.theft, 0.13), (.sexualHarassment, 0.03), (.needleStickInjury, 0.04),
        (.weapon, 0.03), (.other, 0.07),
    ]
    static let overdoseResponses: [(OverdoseResponse, Double)] = [
        (.oxygen, 0.50), (.naloxone, 0.33), (.ambulance, 0.12), (.none, 0.05),
    ]
    static let referralTargets: [(ReferralTarget, Double)] = [
        (.drugTreatment, 0.28), (.healthCare, 0.20), (.housing, 0.15), (.socialServices, 0.12),
        (.outreachAssessment, 0.09), (.mentalHealth, 0.07), (.treatmentTrial, 0.05), (.other, 0.04),
    ]

    private mutating func simulate(site index: Int, on date: LocalDate, into events: inout [Event]) {
        let site = settings.sites[index]
        let code = site.code
        let day = date.dayNumber
        let expected = site.intakesPerDay * dayFactor(date)
        let arrivals = (0..<rng.poisson(expected)).map { _ in arrivalSecond() }.sorted()
        var freeAt = Array(repeating: 0, count: Int(max(site.capacity, 1)))
        var visitors: [Int] = []

        for arrival in arrivals {
            // A free booth at random, else the one that frees first, if the client waits that long.
            let free = freeAt.indices.filter { freeAt[$0] < arrival }
            let booth: Int
            let start: Int
            if !free.isEmpty {
                booth = free[rng.int(0...(free.count - 1))]
                start = arrival
            } else {
                booth = freeAt.indices.min { freeAt[$0] < freeAt[$1] }!
                start = freeAt[booth] + rng.int(10...120)
                if start - arrival > settings.maxWaitSeconds || start > settings.lastIntake {
                    turnedAway += 1
                    continue
                }
            }
            let session = rng.int(settings.sessionSeconds)
            freeAt[booth] = start + session
            let slot = pools[index].pick(&rng)
            visitors.append(slot)
            let client = pools[index].clients[slot]
            let startMs = instant(date, start) + Int64(rng.int(0...999))
            let endMs = startMs + Int64(session) * 1000
            let boothNumber = UInt32(booth + 1)
            let substance = rng.chance(0.85) ? client.substance : rng.pick(ClientPool.substances)
            var route = client.route
            if substance == .crack { route = .smoking }
            events.append(.intake(Intake(
                header: EventHeader(id: id(), site: code, occurredAtMs: startMs, booth: boothNumber),
                client: .code(ClientCode(client.code)), gender: client.gender, age: client.age(on: day),
                municipality: client.municipality, substance: substance, route: route)))
            events.append(.boothRelease(BoothRelease(header: EventHeader(id: id(), site: code, occurredAtMs: endMs, booth: boothNumber))))
            if rng.chance(settings.overdosesPer1000Intakes / 1000) {
                let at = startMs + Int64(rng.int(180...(session - 60))) * 1000
                events.append(.incident(Incident(
                    header: EventHeader(id: id(), site: code, occurredAtMs: at, booth: boothNumber), kind: .overdose,
                    victimGender: client.gender, victimRole: .client, client: .code(ClientCode(client.code)),
                    overdoseResponse: rng.pick(Self.overdoseResponses))))
            }
            if rng.chance(settings.referralsPer100Intakes / 100) {
                let at = startMs + Int64(rng.int(60...(session - 30))) * 1000
                events.append(.referral(Referral(
                    header: EventHeader(id: id(), site: code, occurredAtMs: at, booth: 0),
                    client: .code(ClientCode(client.code)), gender: client.gender,
                    target: rng.pick(Self.referralTargets))))
            }
        }

        // Situation reports, at a rate that follows the site's volume.
        let incidents = rng.poisson(settings.incidentsPerDay * site.intakesPerDay / 144 * dayFactor(date))
        for _ in 0..<incidents {
            let kind = rng.pick(Self.incidentKinds)
            let role: VictimRole = kind == .needleStickInjury ? .staff : rng.pick([(.client, 0.8), (.staff, 0.15), (.other, 0.05)])
            let victim: Gender = rng.chance(role == .client ? 0.45 : 0.5) ? .female : .male
            var involved: ClientRef?
            if !visitors.isEmpty && kind != .needleStickInjury && rng.chance(0.6) {
                involved = .code(ClientCode(pools[index].clients[visitors[rng.int(0...(visitors.count - 1))]].code))
            }
            let at = instant(date, min(arrivalSecond() + rng.int(0...1800), settings.closing - 1)) + Int64(rng.int(0...999))
            events.append(.incident(Incident(header: EventHeader(id: id(), site: code, occurredAtMs: at, booth: 0),
                                             kind: kind, victimGender: victim, victimRole: role, client: involved)))
        }
    }
}
