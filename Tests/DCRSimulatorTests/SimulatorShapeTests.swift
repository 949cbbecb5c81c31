import DCRModel
import DCRSimulator
import Testing

/// Eight weeks of the default rooms (H17, SKYEN, MOBILE) from the temporary room's start.
private let calendar = LocalCalendar()!
private let start = LocalDate(year: 2012, month: 8, day: 13)
private let eightWeeks: [[Event]] = {
    var sim = RoomSimulator(settings: SimulatorSettings(seed: 7), start: start, calendar: calendar)
    return (0..<56).map { _ in sim.nextDay() }
}()
private let all = eightWeeks.flatMap { $0 }
private let intakes: [Intake] = all.compactMap { if case .intake(let i) = $0 { i } else { nil } }

private func code(_ ref: ClientRef) -> String {
    if case .code(let c) = ref { return c.rawValue }
    return ""
}

@Suite("The simulated room has the documents' shape")
struct SimulatorShapeTests {
    @Test("the same seed gives the same events; another seed gives others")
    func determinism() {
        var a = RoomSimulator(settings: SimulatorSettings(seed: 7), start: start, calendar: calendar)
        var b = RoomSimulator(settings: SimulatorSettings(seed: 7), start: start, calendar: calendar)
        var c = RoomSimulator(settings: SimulatorSettings(seed: 8), start: start, calendar: calendar)
        for offset in 0..<3 {
            let x = a.nextDay(), y = b.nextDay(), z = c.nextDay()
            #expect(x == y)
            #expect(x == eightWeeks[offset])
            #expect(x != z)
        }
    }

    @Test("every event lies within opening hours 08:30–23:30 local, on its own day, in time order")
    func openingHours() {
        for (offset, day) in eightWeeks.enumerated() {
            let date = start.adding(days: offset)
            for e in day {
                let t = calendar.localTime(ms: e.header.occurredAtMs)
                #expect(t.date == date)
                #expect(t.secondOfDay >= 8 * 3600 + 30 * 60 && t.secondOfDay < 23 * 3600 + 30 * 60, "\(t)")
            }
            #expect(zip(day, day.dropFirst()).allSatisfy { $0.header.occurredAtMs <= $1.header.occurredAtMs })
        }
    }

    @Test("an intake takes a free booth; booths are never over capacity; every booth is released")
    func boothsNeverOverCapacity() {
        let capacity = Dictionary(uniqueKeysWithValues: Site.defaults.map { ($0.code, $0.capacity) })
        var taken: [String: Set<UInt32>] = [:]
        var peak: [String: Int] = [:]
        for e in all {
            let h = e.header
            switch e {
            case .intake:
                #expect(h.booth >= 1 && h.booth <= capacity[h.site]!)
                #expect(taken[h.site, default: []].insert(h.booth).inserted, "booth \(h.booth) at \(h.site) was taken")
                peak[h.site] = max(peak[h.site, default: 0], taken[h.site]!.count)
            case .boothRelease:
                #expect(taken[h.site, default: []].remove(h.booth) != nil, "booth \(h.booth) at \(h.site) was free")
            default: break
            }
        }
        #expect(taken.values.allSatisfy { $0.isEmpty })
        for site in Site.defaults { #expect(peak[site.code]! <= Int(site.capacity)) }
        #expect(peak["H17"]! >= 8, "busy hours fill most of H17's 12 booths")
    }

    @Test("sessions last 20–30 minutes")
    func sessionLengths() {
        var open: [String: Int64] = [:]
        var sessions = 0
        for e in all {
            let key = "\(e.header.site)/\(e.header.booth)"
            if case .intake = e { open[key] = e.header.occurredAtMs }
            if case .boothRelease = e, let s = open.removeValue(forKey: key) {
                let minutes = Double(e.header.occurredAtMs - s) / 60_000
                #expect(minutes >= 20 && minutes <= 30)
                sessions += 1
            }
        }
        #expect(sessions == intakes.count)
    }

    @Test("about 60% of intakes between 12 and 18")
    func middayShare() {
        let midday = intakes.filter { (12..<18).contains(calendar.localTime(ms: $0.header.occurredAtMs).hour) }.count
        let share = Double(midday) / Double(intakes.count)
        #expect(share > 0.55 && share < 0.65, "\(share)")
    }

    @Test("Fridays ×1.2 and days 1–3 of the month ×1.4 against plain weekdays")
    func peaks() {
        var plain: [Int] = [], friday: [Int] = [], payday: [Int] = []
        for (offset, day) in eightWeeks.enumerated() {
            let date = start.adding(days: offset)
            let n = day.filter { $0.kind == .intake }.count
            let isPayday = (1...3).contains(date.day)
            if isPayday && date.isoWeekday != 5 { payday.append(n) }
            else if !isPayday && date.isoWeekday == 5 { friday.append(n) }
            else if !isPayday { plain.append(n) }
        }
        func mean(_ a: [Int]) -> Double { Double(a.reduce(0, +)) / Double(a.count) }
        let f = mean(friday) / mean(plain), p = mean(payday) / mean(plain)
        #expect(f > 1.1 && f < 1.32, "Friday factor \(f)")
        #expect(p > 1.25 && p < 1.55, "payday factor \(p)")
        // The temporary room's order of magnitude: H17 (12 booths) ≈ 7,826 in 8 weeks.
        let h17 = intakes.filter { $0.header.site == "H17" }.count
        #expect(h17 > 7_000 && h17 < 9_500, "\(h17)")
    }

    @Test("17–22% women, ages 18–65 centred in the 30s, more cocaine than heroin, injection and smoking")
    func clients() {
        var latest: [String: Intake] = [:]
        for i in intakes { latest[code(i.client)] = i }
        let women = Double(latest.values.filter { $0.gender == .female }.count) / Double(latest.count)
        #expect(women > 0.16 && women < 0.23, "\(women)")
        let ages = latest.values.map { Int($0.age) }.sorted()
        #expect(ages.first! >= 18 && ages.last! <= 66)
        #expect((30...39).contains(ages[ages.count / 2]), "median age \(ages[ages.count / 2])")
        let cocaine = intakes.filter { $0.substance == .cocaine }.count
        let heroin = intakes.filter { $0.substance == .heroin }.count
        #expect(cocaine > heroin && heroin > 0)
        let routes = Set(intakes.map(\.route))
        #expect(routes.isSuperset(of: [.injection, .smoking]))
        let injection = Double(intakes.filter { $0.route == .injection }.count) / Double(intakes.count)
        #expect(injection > 0.5 && injection < 0.8, "\(injection)")
    }

    @Test("visits per client: ≈17 in 8 weeks on average, heavy-tailed")
    func visitsPerClient() {
        for site in ["H17", "SKYEN"] {
            var visits: [String: Int] = [:]
            for i in intakes where i.header.site == site { visits[code(i.client), default: 0] += 1 }
            let mean = Double(visits.values.reduce(0, +)) / Double(visits.count)
            #expect(mean > 13 && mean < 22, "\(site): \(mean) per client")
            let sorted = visits.values.sorted()
            let median = sorted[sorted.count / 2], top = sorted[sorted.count * 99 / 100]
            #expect(Double(top) > 4 * Double(median), "\(site): heavy tail, median \(median), 99th percentile \(top)")
        }
    }

    @Test("about one incident a day at H17 in the documents' mix; overdoses with a response; referrals ≈2.5 per 100")
    func incidentsAndReferrals() {
        let incidents: [Incident] = all.compactMap { if case .incident(let i) = $0 { i } else { nil } }
        let h17 = incidents.filter { $0.header.site == "H17" && $0.kind != .overdose }
        #expect(h17.count > 40 && h17.count < 85, "\(h17.count) in 56 days")
        let kinds = Set(incidents.map(\.kind))
        #expect(kinds.isSuperset(of: [.violence, .theft, .threat]))
        #expect(incidents.filter { $0.kind == .violence }.count > incidents.filter { $0.kind == .theft }.count)
        for i in incidents {
            #expect((i.kind == .overdose) == (i.overdoseResponse != .unspecified))
            if i.kind == .needleStickInjury { #expect(i.victimRole == .staff) }
        }
        let referrals: [Referral] = all.compactMap { if case .referral(let r) = $0 { r } else { nil } }
        let per100 = Double(referrals.count) * 100 / Double(intakes.count)
        #expect(per100 > 2.0 && per100 < 3.0, "\(per100)")
        #expect(Set(referrals.map(\.target)).count >= 6)
    }

    @Test("every event passes the daemon's field rules; ids are unique")
    func valid() throws {
        let rules = EventRules(sites: Site.defaults)
        for e in all { try rules.check(e, nowMs: Int64.max / 2) }
        #expect(Set(all.map(\.id)).count == all.count)
    }

    @Test("events(untilMs:) stops at the instant and continues from there on the next call")
    func until() {
        var sim = RoomSimulator(settings: SimulatorSettings(seed: 7), start: start, calendar: calendar)
        let cut = calendar.instant(date: start.adding(days: 2), hour: 15)
        let before = sim.events(untilMs: cut)
        #expect(before.allSatisfy { $0.header.occurredAtMs < cut })
        #expect(before == Array(eightWeeks[0] + eightWeeks[1] + eightWeeks[2].filter { $0.header.occurredAtMs < cut }))
        #expect(sim.nextDate == start.adding(days: 3))
    }
}
