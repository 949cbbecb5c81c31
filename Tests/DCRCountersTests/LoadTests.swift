import DCRModel
import Testing
@testable import DCRCounters

@Suite("Load: today against a normal same weekday")
struct LoadTests {
    /// Friday 12 May 2023, 14:30:20 in Copenhagen.
    let now = Fixture.at(2023, 5, 12, 14, 30, 20)
    let day: Int64 = 86_400_000

    @Test("typical today averages the same weekday over the weeks with history, 0 to 4",
          arguments: 0...4)
    func typicalToday(weeks: Int) throws {
        var c = Fixture.counters()
        // k weeks ago: 2k intakes up to 14:30 (the last at 14:30:59, same minute as now) and
        // one at 14:31, which is later in the day than now and must not count.
        for k in stride(from: weeks, through: 1, by: -1) {
            let past = now - Int64(7 * k) * day
            let d = Fixture.calendar.localTime(ms: past).date
            for i in 0..<(2 * k - 1) {
                c.apply(Fixture.intake(at: Fixture.at(d.year, d.month, d.day, 9, i)), nowMs: now)
            }
            c.apply(Fixture.intake(at: Fixture.at(d.year, d.month, d.day, 14, 30, 59)), nowMs: now)
            c.apply(Fixture.intake(at: Fixture.at(d.year, d.month, d.day, 14, 31, 0)), nowMs: now)
        }
        c.apply(Fixture.intake(at: now - 60_000), nowMs: now)
        let load = try #require(c.load(site: "H17", nowMs: now).first)
        #expect(load.typicalWeeks == UInt32(weeks))
        #expect(load.typicalToday == (weeks == 0 ? 0 : Double(weeks + 1)))
        #expect(load.intakesToday == 1)
    }

    @Test("a week without intakes after history began counts as a zero, not as missing")
    func quietWeekCounts() throws {
        var c = Fixture.counters()
        // History starts 4 weeks ago with an incident; only the Friday 2 weeks ago had intakes.
        c.apply(Fixture.incident(at: now - 28 * day - 3_600_000), nowMs: now)
        for _ in 0..<6 { c.apply(Fixture.intake(at: now - 14 * day - 3_600_000), nowMs: now) }
        // Five weeks ago is beyond the four weeks and never counts.
        for _ in 0..<50 { c.apply(Fixture.intake("SKYEN", at: now - 35 * day), nowMs: now) }
        let load = try #require(c.load(site: "H17", nowMs: now).first)
        #expect(load.typicalWeeks == 4)
        #expect(load.typicalToday == 1.5)
        let skyen = try #require(c.load(site: "SKYEN", nowMs: now).first)
        #expect(skyen.typicalWeeks == 4)
        #expect(skyen.typicalToday == 0)
    }

    @Test("intakes per minute: 60 values, oldest first, the current minute last")
    func perMinute() throws {
        var c = Fixture.counters()
        for age: Int64 in [0, 20_000, 60_000, 59 * 60_000, 60 * 60_000] {
            c.apply(Fixture.intake(at: now - age), nowMs: now)
        }
        let series = try #require(c.load(site: "H17", nowMs: now).first).intakesPerMinute
        #expect(series.count == 60)
        #expect(series[59] == 2)  // 14:30:20 and 14:30:00
        #expect(series[58] == 1)
        #expect(series[0] == 1)  // 13:31
        #expect(series.reduce(0, +) == 4)
    }

    @Test("5 min, 15 min, 1 h, today, incidents and referrals today, per site")
    func figures() throws {
        var c = Fixture.counters()
        c.apply([Fixture.intake(at: now - 60_000), Fixture.intake(at: now - 600_000),
                 Fixture.intake(at: now - 1_800_000), Fixture.intake(at: now - 5 * 3_600_000),
                 Fixture.intake(at: now - day), Fixture.incident(at: now - 3_600_000),
                 Fixture.incident(at: now - day), Fixture.referral(at: now - 100),
                 Fixture.referral("SKYEN", at: now)], nowMs: now)
        let load = try #require(c.load(site: "H17", nowMs: now).first)
        #expect([load.intakes5m, load.intakes15m, load.intakes1h, load.intakesToday] == [1, 2, 3, 4])
        #expect(load.incidentsToday == 1)
        #expect(load.referralsToday == 1)
    }

    @Test("all configured sites in configuration order; a named unknown site gives nothing")
    func siteSelection() {
        let c = Fixture.counters()
        #expect(c.load(site: nil, nowMs: now).map(\.site) == ["H17", "SKYEN", "MOBILE"])
        #expect(c.load(site: "SKYEN", nowMs: now).map(\.site) == ["SKYEN"])
        #expect(c.load(site: "ELSEWHERE", nowMs: now).isEmpty)
    }

    @Test("a reload changes capacities and sites and keeps every count")
    func reconfigureKeepsCounts() throws {
        var c = Fixture.counters()
        c.apply([Fixture.intake(at: now - 60_000, booth: 1), Fixture.intake("MOBILE", at: now - 60_000)],
                nowMs: now)
        c.reconfigure(sites: [Site(code: "SKYEN", capacity: 8), Site(code: "H17", capacity: 24),
                              Site(code: "VAN", capacity: 1)], boothTimeoutMs: 20 * 60_000)
        let loads = c.load(site: nil, nowMs: now)
        #expect(loads.map(\.site) == ["SKYEN", "H17", "VAN"])
        #expect(loads.map(\.capacity) == [8, 24, 1])
        #expect(loads[1].intakes5m == 1 && loads[1].boothsTaken == 1 && loads[1].intakesToday == 1)
        #expect(c.boothTimeoutMs == 20 * 60_000)
        #expect(c.total(.intake) == 2)
        // The dropped site's history stays reportable.
        let report = try c.report(ReportQuery(measure: .intakes, from: Fixture.date(2023, 5, 12),
                                              to: Fixture.date(2023, 5, 12), groupBy: [.site],
                                              sites: ["MOBILE"]))
        #expect(report.rows == [ReportRow(keys: ["MOBILE"], count: 1)])
        // Events for the new site count from now on.
        c.apply(Fixture.intake("VAN", at: now, booth: 1), nowMs: now)
        #expect(c.load(site: "VAN", nowMs: now).first?.boothsTaken == 1)
    }
}
