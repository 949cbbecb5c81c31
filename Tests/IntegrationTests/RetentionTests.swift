import DCRModel
import DCRWire
import Foundation
import Testing

/// Issue 15, acceptance 3: `retain-years 5` over seven simulated years (the daemon's injected
/// clock is 2026-03-13): raw events before 2021-03-13 are deleted, and every year-level report
/// (the Table 1 shape and the event counts) equals what it was before, live and after a restart.
@Suite("Retention", .serialized)
struct RetentionTests {
    static let calendar = LocalCalendar()!
    static let years = 2019...2025
    static let cutoff = "2021-03-13"

    /// Seven years of a room: intakes by 150 returning clients (some change their registered
    /// gender within a year: the latest counts), incidents and referrals, at two sites.
    static func history() -> [Event] {
        var rng = SplitMix64(seed: 15)
        var events: [Event] = []
        for year in years {
            let start = LocalDate(year: year, month: 1, day: 1).dayNumber
            let days = LocalDate(year: year, month: 12, day: 31).dayNumber - start + 1
            for i in 0..<700 {
                let date = LocalDate(dayNumber: start + (i * 7919 + year) % days)
                let at = calendar.instant(date: date, hour: 8 + i % 12, minute: i % 60)
                let header = EventHeader(id: EventID(high: rng.next(), low: rng.next()), site: i % 3 == 0 ? "SKYEN" : "H17",
                                         occurredAtMs: at, booth: UInt32(i % 6) + 1)
                let client = ClientCode("c-\((i * 31 + year) % 150)")
                switch i % 10 {
                case 0...6:
                    let gender: Gender = (i / 7 + year) % 9 == 0 ? .female : (i % 4 == 0 ? .female : .male)
                    events.append(.intake(Intake(header: header, client: .code(client), gender: gender,
                                                 age: UInt32(18 + (i + year) % 50), municipality: i % 5 == 0 ? 147 : 101,
                                                 substance: i % 3 == 0 ? .heroin : .cocaine, route: i % 2 == 0 ? .injection : .smoking)))
                case 7:
                    events.append(.incident(Incident(header: header, kind: i % 20 == 7 ? .overdose : .violence,
                                                     victimGender: .male, victimRole: .client)))
                case 8:
                    events.append(.referral(Referral(header: header, client: .code(client), gender: .male, target: .housing)))
                default:
                    events.append(.boothRelease(BoothRelease(header: header)))
                }
            }
        }
        return events
    }

    /// Year-level reports for every year, each over its whole year: what must not change.
    static func yearReports(_ daemon: DaemonProcess) async throws -> [String: String] {
        var out: [String: String] = [:]
        for year in years {
            for args in [
                ["report", "clients", "--by", "year,gender"], ["report", "clients", "--by", "year,site,gender"],
                ["report", "clients", "--by", "year,age"], ["report", "clients", "--by", "month,gender"],
                ["report", "clients", "--by", "year,municipality", "--site", "H17"],
                ["report", "intakes", "--by", "year,month,gender,substance"], ["report", "intakes", "--by", "year,route,hour"],
                ["report", "incidents", "--by", "year,incident-kind"], ["report", "referrals", "--by", "year,target"],
            ] {
                let r = try await daemon.dcrctl(args + ["--from", "\(year)-01-01", "--to", "\(year)-12-31", "--json"])
                guard r.status == 0 else { throw HarnessError("\(args) \(year): \(r.stderr)") }
                out["\(year) \(args.joined(separator: " "))"] = r.stdout
            }
        }
        return out
    }

    /// Table 1 as the council prints it: distinct clients per year by gender over all seven years.
    static func table1(_ daemon: DaemonProcess) async throws -> [String: Any] {
        try await daemon.dcrctl(["report", "clients", "--from", "2019-01-01", "--to", "2025-12-31", "--by", "year,gender", "--json"]).json()
    }

    static func rows(_ report: [String: Any]) -> String {
        String(describing: (report["rows"] as? [[String: Any]] ?? []).map { "\($0["keys"] ?? "") \($0["count"] ?? "")" })
    }

    @Test("retain-years 5 over 7 years: older raw events gone, every year-level report unchanged, live and after a restart")
    func fiveOfSeven() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let events = Self.history()
        try await daemon.sendAll(events)
        let before = try await Self.yearReports(daemon)
        let table1Before = try await Self.table1(daemon)
        #expect(table1Before["approximate"] as? Bool == false)
        #expect(try await daemon.stop() == 0)
        let store = daemon.stateDirectory + "/events.sqlite"
        let old = try await ToolRun.sqlite3(store, "SELECT count(*) FROM events WHERE local_date < '\(Self.cutoff)'")
        #expect(Int(old) ?? 0 > 1000, "the simulated history reaches back before the cutoff")
        let kept = try await ToolRun.sqlite3(store, "SELECT count(*) FROM events WHERE local_date >= '\(Self.cutoff)'")

        try daemon.writeConfiguration("retain-years 5\nretention-batch 200\nretention-pause-ms 1")
        try await daemon.start()
        let status = try await eventually("the retention pass to finish", timeout: .seconds(120)) { () -> [String: Any]? in
            let s = try await daemon.dcrctl(["status", "--json"]).json()
            let r = s["retention"] as? [String: Any]
            return (r?["oldest_raw_event"] as? String).map { $0 >= Self.cutoff } == true ? s : nil
        }
        let retention = try #require(status["retention"] as? [String: Any])
        #expect(retention["retain_years"] as? Int == 5)
        #expect(retention["deleted_since_start"] as? Int == Int(old))
        #expect(try await ToolRun.sqlite3(store, "SELECT count(*) FROM events WHERE local_date < '\(Self.cutoff)'") == "0")
        #expect(try await ToolRun.sqlite3(store, "SELECT count(*) FROM events") == kept)
        #expect(try await ToolRun.sqlite3(store, "SELECT group_concat(year) FROM (SELECT year FROM aggregated_years ORDER BY year)") == "2019,2020,2021")
        #expect(try await ToolRun.sqlite3(store, "SELECT count(*) FROM pragma_table_info('aggregate_clients') WHERE name = 'client'") == "0")
        let text = try await daemon.dcrctl(["status"]).stdout
        #expect(text.contains("raw events older than 5 years deleted") && text.contains("oldest raw event 2021-03-"), "\(text)")

        let live = try await Self.yearReports(daemon)
        for (name, report) in before { #expect(live[name] == report, "\(name) changed after the deletion") }
        let table1 = try await Self.table1(daemon)
        #expect(Self.rows(table1) == Self.rows(table1Before), "Table 1's rows are exact")
        #expect(table1["approximate"] as? Bool == true, "its seven-year total is a sum over years, and says so")
        #expect(try await daemon.dcrctl(["report", "clients", "--from", "2019-01-01", "--to", "2025-12-31", "--by", "year,gender"]).stdout
            .contains("approximate: part of the period is kept only as aggregates"))

        // An event dated in a year kept only as aggregates is refused with the reason.
        let c = try await daemon.connect(role: .terminal)
        let late = Event.intake(Intake(header: EventHeader(id: EventID(high: 1, low: 2), site: "H17",
                                                           occurredAtMs: Self.calendar.instant(date: LocalDate(year: 2020, month: 6, day: 1), hour: 12)),
                                       client: .code(ClientCode("late")), gender: .male, age: 30, municipality: 101,
                                       substance: .heroin, route: .smoking))
        let answer = try await c.send(.event(late))
        await c.close()
        #expect(answer.error?.code == .invalidArgument && answer.error?.message.contains("in 2020, a year retention keeps only as aggregates") == true, "\(answer)")
        let byWeek = try await daemon.dcrctl(["report", "clients", "--from", "2020-01-01", "--to", "2020-12-31", "--by", "week"])
        #expect(byWeek.status == 65 && byWeek.stderr.contains("group by year or month"), "\(byWeek.stderr)")

        // After a restart the replay rebuilds the same answers from aggregates and raw events.
        #expect(try await daemon.stop() == 0)
        try await daemon.start()
        let restarted = try await Self.yearReports(daemon)
        for (name, report) in before { #expect(restarted[name] == report, "\(name) changed after a restart") }
        #expect(Self.rows(try await Self.table1(daemon)) == Self.rows(table1Before))
    }
}
