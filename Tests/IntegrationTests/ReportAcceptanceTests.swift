import DCRClient
import DCRModel
import DCRWire
import Foundation
import Testing

/// The council's questions, answered exactly: scenarios with known answers, sent to the real
/// dcrd as a terminal would, and asked through the real dcrctl. Every scenario lies in the past
/// of the daemon's test clock (2026-03-13): old events are accepted, future ones are not.
@Suite("Reports: the documents' numbers through dcrd and dcrctl", .serialized)
struct ReportAcceptanceTests {
    static let calendar = LocalCalendar()!

    /// Deterministic ids, so a scenario is the same on every run.
    struct IDs {
        var rng: SplitMix64
        init(_ seed: UInt64) { rng = SplitMix64(seed: seed) }
        mutating func next() -> EventID { EventID(high: rng.next(), low: rng.next()) }
    }

    static func intake(_ ids: inout IDs, site: String, at ms: Int64, client: String, gender: Gender = .male,
                       age: UInt32 = 35) -> Event {
        .intake(Intake(header: EventHeader(id: ids.next(), site: site, occurredAtMs: ms), client: .code(ClientCode(client)),
                       gender: gender, age: age, municipality: 101, substance: .cocaine, route: .injection))
    }

    static func incident(_ ids: inout IDs, site: String, at ms: Int64, kind: IncidentKind, victim: Gender) -> Event {
        .incident(Incident(header: EventHeader(id: ids.next(), site: site, occurredAtMs: ms), kind: kind,
                           victimGender: victim, victimRole: .client))
    }

    /// `count` spread over the 7 days of the week starting `monday`, Friday ×1.2, at hours
    /// 08–22 with most of them 12–17 (largest remainder, so the sum is exact).
    static func spread(_ count: Int, weekFrom monday: LocalDate) -> [Int64] {
        let weights = [1.0, 1.0, 1.0, 1.0, 1.2, 1.0, 1.0]
        let total = weights.reduce(0, +)
        var perDay = weights.map { Int(Double(count) * $0 / total) }
        var i = 0
        while perDay.reduce(0, +) < count { perDay[i % 7] += 1; i += 1 }
        let hours = [9, 10, 11, 12, 12, 13, 13, 14, 14, 15, 15, 16, 16, 17, 17, 18, 19, 20, 21, 22]
        var out: [Int64] = []
        for (d, n) in perDay.enumerated() {
            for k in 0..<n {
                out.append(calendar.instant(date: monday.adding(days: d), hour: hours[k % hours.count], minute: k % 60, second: k % 59))
            }
        }
        return out
    }

    static func rows(_ doc: [String: Any]) -> [(keys: [String], count: Int, estimate: Double?)] {
        ((doc["rows"] as? [[String: Any]]) ?? []).map {
            (($0["keys"] as? [String]) ?? [], ($0["count"] as? Int) ?? -1, $0["estimate"] as? Double)
        }
    }

    static func count(_ doc: [String: Any], _ keys: String...) -> Int {
        rows(doc).first { $0.keys == keys }?.count ?? 0
    }

    // MARK: 1. 2012, eight weeks

    /// The 2012 eight weeks as raw events (Figure 1's shape, 458 clients in the temporary room),
    /// plus one intake on each side of the period.
    static func eightWeeksEvents() -> (first: LocalDate, last: LocalDate, temporary: [Int], mobile: [Int], events: [Event]) {
            let first = LocalDate(year: 2012, month: 8, day: 13)  // Monday of ISO week 33
            let last = LocalDate(year: 2012, month: 10, day: 7)   // Sunday of ISO week 40
            let temporary = [900, 930, 950, 960, 1_250, 980, 960, 896]  // Figure 1's shape: week 5 jumps
            let mobile = [240, 245, 250, 240, 300, 240, 236, 236]
            #expect(temporary.reduce(0, +) == 7_826 && mobile.reduce(0, +) == 1_987)
            var ids = IDs(2012)
            var events: [Event] = []
            var n = 0, m = 0
            for week in 0..<8 {
                let monday = first.adding(days: 7 * week)
                for t in Self.spread(temporary[week], weekFrom: monday) {
                    events.append(Self.intake(&ids, site: "TEMP", at: t, client: "T\(n % 458)", gender: n % 5 == 0 ? .female : .male))
                    n += 1
                }
                for t in Self.spread(mobile[week], weekFrom: monday) {
                    events.append(Self.intake(&ids, site: "MOBILE", at: t, client: "M\(m % 131)"))
                    m += 1
                }
            }
            // Just outside the period: counted on their own days, not in these eight weeks.
            events.append(Self.intake(&ids, site: "TEMP", at: Self.calendar.instant(date: first.adding(days: -1), hour: 23, minute: 59, second: 59), client: "T1"))
            events.append(Self.intake(&ids, site: "TEMP", at: Self.calendar.startOfDay(last.adding(days: 1)), client: "T2"))
        return (first, last, temporary, mobile, events)
    }

    @Test("2012: 7,826 intakes by 458 clients in the temporary room, 1,987 mobile, 9,813 in all, 1,227 a week, payday jump in week 5")
    func eightWeeks2012() async throws {
        let daemon = try DaemonProcess(configuration: "site TEMP 12")
        defer { daemon.cleanUp() }
        try await daemon.start()

        let (first, last, temporary, mobile, events) = Self.eightWeeksEvents()
        try await daemon.sendAll(events)

        let period = ["--from", first.description, "--to", last.description]
        let bySite = try await daemon.dcrctl(["report", "intakes", "--by", "site", "--json"] + period)
        #expect(bySite.status == 0, "\(bySite.stderr)")
        let sites = try bySite.json()
        #expect(Self.count(sites, "TEMP") == 7_826)
        #expect(Self.count(sites, "MOBILE") == 1_987)
        #expect(sites["total"] as? Int == 9_813)
        #expect(Self.rows(sites).count == 2, "no rows for sites without intakes")

        let byWeek = try await daemon.dcrctl(["report", "intakes", "--by", "week", "--json"] + period).json()
        let weeks = Self.rows(byWeek)
        #expect(weeks.map { $0.keys[0] } == (33...40).map { "2012-W\($0)" })
        #expect(weeks.map(\.count) == zip(temporary, mobile).map { $0 + $1 })
        let peak = weeks.max { $0.count < $1.count }!
        #expect(peak.keys == ["2012-W37"], "week 5 of the eight is the payday jump")
        let total = byWeek["total"] as? Int ?? 0
        #expect(total == 9_813)
        #expect(Int((Double(total) / Double(weeks.count)).rounded()) == 1_227, "the average per week")

        let clients = try await daemon.dcrctl(["report", "clients", "--site", "TEMP", "--json"] + period).json()
        #expect(clients["total"] as? Int == 458)
        let clientsText = try await daemon.dcrctl(["report", "clients", "--site", "TEMP"] + period)
        #expect(clientsText.stdout.contains("458"), "\(clientsText.stdout)")

        // Figure 1 in the terminal: one bar per week, the longest in week 5; no colour into a pipe.
        let chart = try await daemon.dcrctl(["report", "intakes", "--by", "week", "--chart"] + period)
        #expect(chart.status == 0)
        let bars = chart.stdout.split(separator: "\n").filter { $0.contains("│") }
        #expect(bars.count == 8, "\(chart.stdout)")
        let blocks = bars.map { line in line.filter { $0 == "█" }.count }
        let longest = bars[blocks.firstIndex(of: blocks.max()!)!]
        #expect(longest.hasPrefix("2012-W37"), "\(chart.stdout)")
        #expect(blocks.filter { $0 == blocks.max()! }.count == 1)
        #expect(!chart.stdout.contains("\u{1B}"), "no escape codes when stdout is not a terminal")
        #expect(chart.stdout.contains("total 9,813"))
    }

    // MARK: 2. Table 1

    static let table1: [(year: Int, men: Int, women: Int, total: Int, menShare: Int, womenShare: Int)] = [
        (2016, 5_439, 1_095, 6_534, 83, 17), (2017, 6_392, 1_195, 7_587, 84, 16), (2018, 5_973, 1_151, 7_124, 84, 16),
        (2019, 5_492, 1_064, 6_556, 84, 16), (2020, 3_862, 807, 4_669, 83, 17), (2021, 2_935, 589, 3_524, 83, 17),
        (2022, 2_400, 484, 2_884, 83, 17),
    ]

    /// Table 1 as raw events: one intake per client per year, 2016 partly in the mobile room,
    /// and per year 10 women first registered as men and 10 men who came twice.
    static func table1Events() -> [Event] {
            var ids = IDs(2016)
            var events: [Event] = []
            for row in Self.table1 {
                // The same people come back year after year: client C<i> is one of the year's men for
                // i < men, one of its women after that. One intake each per year is enough.
                let jan1 = LocalDate(year: row.year, month: 1, day: 1)
                for i in 0..<row.total {
                    let woman = i >= row.men
                    let at = Self.calendar.instant(date: jan1.adding(days: i % 365), hour: 10 + i % 12, minute: i % 60)
                    let site = row.year == 2016 && i % 10 == 0 ? "MOBILE" : "H17"  // 2016 includes the mobile room
                    events.append(Self.intake(&ids, site: site, at: at, client: "C\(i)", gender: woman ? .female : .male,
                                              age: UInt32(25 + i % 35)))
                }
                // A client counts once per year, under their latest gender: 10 of the year's women
                // were first registered as men that year, and 10 men came twice.
                for i in 0..<10 {
                    let early = Self.calendar.instant(date: jan1, hour: 8, minute: 31 + i)
                    events.append(Self.intake(&ids, site: "H17", at: early, client: "C\(row.men + i)", gender: .male))
                    events.append(Self.intake(&ids, site: "H17", at: early + 60_000, client: "C\(i)", gender: .male))
                }
            }
        return events
    }

    @Test("Table 1: distinct clients per year by gender 2016–2022, every count, shares computed (2016: 83% and 100%)")
    func table1() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()

        let events = Self.table1Events()
        try await daemon.sendAll(events)

        let period = ["--from", "2016-01-01", "--to", "2022-12-31", "--by", "year,gender"]
        let doc = try await daemon.dcrctl(["report", "clients", "--json"] + period).json()
        #expect(Self.rows(doc).count == 14, "only men and women, every year")
        let subtotals = ((doc["subtotals"] as? [[String: Any]]) ?? []).map { (($0["keys"] as? [String])?.first ?? "", $0["count"] as? Int ?? -1) }
        for row in Self.table1 {
            #expect(Self.count(doc, String(row.year), "male") == row.men, "\(row.year) men")
            #expect(Self.count(doc, String(row.year), "female") == row.women, "\(row.year) women")
            #expect(subtotals.first { $0.0 == String(row.year) }?.1 == row.total, "\(row.year) total")
        }
        #expect(doc["total"] as? Int == 7_587, "distinct clients over the seven years: the people of the busiest year")

        let text = try await daemon.dcrctl(["report", "clients"] + period)
        #expect(text.status == 0)
        let lines = text.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        for row in Self.table1 {
            let y = String(row.year)
            #expect(lines.contains([y, "male", grouped(row.men), "\(row.menShare)%"]), "\(y) men in\n\(text.stdout)")
            #expect(lines.contains([y, "female", grouped(row.women), "\(row.womenShare)%"]), "\(y) women")
            #expect(lines.contains([y, "total", grouped(row.total), "100%"]), "\(y) total")
            #expect(row.menShare + row.womenShare == 100)
        }
    }

    func grouped(_ n: Int) -> String { Self.grouped(n) }
    static func grouped(_ n: Int) -> String {
        let s = String(n)
        var out = ""
        for (i, ch) in s.reversed().enumerated() {
            if i > 0 && i % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return String(out.reversed())
    }

    // MARK: 3. Tables 2 and 3

    @Test("Tables 2 and 3: incidents at H17 18.12.2022–18.01.2023 by kind and victim's gender; × 12 marked as an estimate")
    func tables2and3() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()

        let first = LocalDate(year: 2022, month: 12, day: 18), last = LocalDate(year: 2023, month: 1, day: 18)
        let table2: [(IncidentKind, men: Int, women: Int)] = [(.violence, 9, 7), (.theft, 2, 2), (.threat, 4, 6)]
        var ids = IDs(2022)
        var events: [Event] = []
        var k = 0
        for (kind, men, women) in table2 {
            for victim in Array(repeating: Gender.male, count: men) + Array(repeating: Gender.female, count: women) {
                let at = Self.calendar.instant(date: first.adding(days: k % 32), hour: 9 + k % 14, minute: 7)
                events.append(Self.incident(&ids, site: "H17", at: at, kind: kind, victim: victim))
                k += 1
            }
        }
        // Not in the sample: another site, and H17 just before and just after the period.
        events.append(Self.incident(&ids, site: "SKYEN", at: Self.calendar.instant(date: first, hour: 12), kind: .violence, victim: .male))
        events.append(Self.incident(&ids, site: "H17", at: Self.calendar.startOfDay(first) - 1, kind: .violence, victim: .male))
        events.append(Self.incident(&ids, site: "H17", at: Self.calendar.startOfDay(last.adding(days: 1)), kind: .threat, victim: .female))
        try await daemon.sendAll(events)

        let period = ["--from", "2022-12-18", "--to", "2023-01-18", "--site", "H17"]
        let doc = try await daemon.dcrctl(["report", "incidents", "--by", "incident-kind,victim-gender", "--json"] + period).json()
        for (kind, men, women) in table2 {
            #expect(Self.count(doc, kind.label, "male") == men, "\(kind.label) men")
            #expect(Self.count(doc, kind.label, "female") == women, "\(kind.label) women")
        }
        for kind in [IncidentKind.sexualHarassment, .sexualAssault, .rape] {
            #expect(Self.count(doc, kind.label, "male") == 0 && Self.count(doc, kind.label, "female") == 0)
        }
        #expect(doc["total"] as? Int == 30)
        #expect(doc["estimate"] as? Bool == false)
        let byVictim = try await daemon.dcrctl(["report", "incidents", "--by", "victim-gender", "--json"] + period).json()
        #expect(Self.count(byVictim, "male") == 15 && Self.count(byVictim, "female") == 15)

        // Table 3: the one-month sample × 12, explicitly an estimate.
        let scaled = try await daemon.dcrctl(["report", "incidents", "--by", "incident-kind,victim-gender", "--scale", "12", "--json"] + period).json()
        #expect(scaled["estimate"] as? Bool == true)
        #expect(scaled["scale"] as? Int == 12)
        let table3: [(String, String, Double)] = [
            ("violence", "male", 108), ("violence", "female", 84), ("theft", "male", 24), ("theft", "female", 24),
            ("threat", "male", 48), ("threat", "female", 72),
        ]
        for (kind, gender, estimate) in table3 {
            #expect(Self.rows(scaled).first { $0.keys == [kind, gender] }?.estimate == estimate, "\(kind) \(gender)")
        }
        let totals = try await daemon.dcrctl(["report", "incidents", "--by", "victim-gender", "--scale", "12", "--json"] + period).json()
        #expect(Self.rows(totals).map { $0.estimate } == [180, 180])

        let text = try await daemon.dcrctl(["report", "incidents", "--by", "incident-kind,victim-gender", "--scale", "12"] + period)
        #expect(text.stdout.contains("ESTIMATE"))
        #expect(text.stdout.contains("estimate: × 12 of 2022-12-18–2023-01-18"), "\(text.stdout)")
        let lines = text.stdout.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
        #expect(lines.contains(["violence", "male", "9", "56%", "108"]), "\(text.stdout)")
        #expect(lines.contains(["violence", "total", "16", "100%", "192"]))
        let chart = try await daemon.dcrctl(["report", "incidents", "--by", "incident-kind", "--scale", "12", "--chart"] + period)
        #expect(chart.stdout.contains("estimate: × 12 of 2022-12-18–2023-01-18"), "\(chart.stdout)")
        #expect(chart.stdout.contains("16  × 12 = 192"))
    }

    // MARK: 4. Local time

    @Test("local time: the autumn hour twice, the spring hour never, midnight, ISO weeks 53 and 1, late events")
    func localTime() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        var ids = IDs(2023)
        let utc = { (y: Int, mo: Int, d: Int, h: Int, mi: Int, s: Int, ms: Int64) -> Int64 in
            Int64(LocalDate(year: y, month: mo, day: d).dayNumber) * 86_400_000 + Int64(h * 3600 + mi * 60 + s) * 1000 + ms
        }
        var events: [Event] = []
        // Autumn, 2023-10-29: 02:30 CEST (00:30Z) and 02:30 CET (01:30Z) are both hour 02.
        events.append(Self.intake(&ids, site: "H17", at: utc(2023, 10, 29, 0, 30, 0, 0), client: "a"))
        events.append(Self.intake(&ids, site: "H17", at: utc(2023, 10, 29, 1, 30, 0, 0), client: "b"))
        events.append(Self.intake(&ids, site: "H17", at: utc(2023, 10, 29, 2, 0, 0, 0), client: "c"))  // 03:00 CET
        // Spring, 2023-03-26: 01:59:59 CET (00:59:59Z), then 03:00 CEST (01:00Z); no hour 02.
        events.append(Self.intake(&ids, site: "H17", at: utc(2023, 3, 26, 0, 59, 59, 0), client: "d"))
        events.append(Self.intake(&ids, site: "H17", at: utc(2023, 3, 26, 1, 0, 0, 0), client: "e"))
        // Midnight, summer time: 23:59:59.999 on the 14th and 00:00:00.000 on the 15th.
        events.append(Self.intake(&ids, site: "H17", at: utc(2023, 6, 14, 21, 59, 59, 999), client: "f"))
        events.append(Self.intake(&ids, site: "H17", at: utc(2023, 6, 14, 22, 0, 0, 0), client: "g"))
        // ISO weeks: Thursday 2020-12-31 and Sunday 2021-01-03 are 2020-W53; Monday 2021-01-04 is 2021-W01.
        events.append(Self.intake(&ids, site: "H17", at: Self.calendar.instant(date: LocalDate(year: 2020, month: 12, day: 31), hour: 12), client: "h"))
        events.append(Self.intake(&ids, site: "H17", at: Self.calendar.instant(date: LocalDate(year: 2021, month: 1, day: 3), hour: 23, minute: 59), client: "i"))
        events.append(Self.intake(&ids, site: "H17", at: Self.calendar.instant(date: LocalDate(year: 2021, month: 1, day: 4), hour: 0), client: "j"))
        try await daemon.sendAll(events)

        let autumn = try await daemon.dcrctl(["report", "intakes", "--from", "2023-10-29", "--to", "2023-10-29", "--by", "hour", "--json"]).json()
        #expect(Self.rows(autumn).map { $0.keys[0] } == ["02", "03"])
        #expect(Self.count(autumn, "02") == 2 && Self.count(autumn, "03") == 1)

        let spring = try await daemon.dcrctl(["report", "intakes", "--from", "2023-03-26", "--to", "2023-03-26", "--by", "date,hour", "--json"]).json()
        #expect(Self.rows(spring).map(\.keys) == [["2023-03-26", "01"], ["2023-03-26", "03"]])
        #expect(Self.count(spring, "2023-03-26", "02") == 0)

        let midnight = try await daemon.dcrctl(["report", "intakes", "--from", "2023-06-14", "--to", "2023-06-15", "--by", "date,hour", "--json"]).json()
        #expect(Self.rows(midnight).map(\.keys) == [["2023-06-14", "23"], ["2023-06-15", "00"]])

        let weeks = try await daemon.dcrctl(["report", "intakes", "--from", "2020-12-28", "--to", "2021-01-10", "--by", "week", "--json"]).json()
        #expect(Self.rows(weeks).map(\.keys) == [["2020-W53"], ["2021-W01"]])
        #expect(Self.count(weeks, "2020-W53") == 2 && Self.count(weeks, "2021-W01") == 1)

        // Late events: a terminal uploads yesterday's intake "now"; it counts on yesterday, and
        // today's load does not include it.
        let terminal = try await daemon.connect(role: .terminal)
        let now = terminal.welcome.serverTimeMs
        let today = Self.calendar.localTime(ms: now).date
        let yesterday = today.adding(days: -1)
        let late = Self.intake(&ids, site: "MOBILE", at: Self.calendar.instant(date: yesterday, hour: 15), client: "late")
        let fresh = Self.intake(&ids, site: "MOBILE", at: now - 60_000, client: "fresh")
        #expect(try await terminal.sendAll([.event(late), .event(fresh)]).allSatisfy { $0.body == .ack(duplicate: false) })
        await terminal.close()
        let byDate = try await daemon.dcrctl(["report", "intakes", "--from", yesterday.description, "--to", today.description,
                                              "--by", "date", "--site", "MOBILE", "--json"]).json()
        #expect(Self.rows(byDate).map(\.keys) == [[yesterday.description], [today.description]])
        #expect(Self.count(byDate, yesterday.description) == 1 && Self.count(byDate, today.description) == 1)
        let load = try await daemon.dcrctl(["load", "--site", "MOBILE", "--json"]).json()
        let mobile = (load["sites"] as? [[String: Any]])?.first { $0["site"] as? String == "MOBILE" }
        #expect(mobile?["intakes_today"] as? Int == 1, "\(load)")
    }

    // MARK: The simulator as terminals

    @Test("dcrctl simulate: a week of backfill counted exactly, resent as duplicates, then live without refusals")
    func simulate() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let run = try await daemon.dcrctl(["simulate", "--backfill", "1", "--speed", "0", "--seed", "3"])
        #expect(run.status == 0, "\(run.stderr)")
        // "simulate H17(12) SKYEN(6) MOBILE(2): backfill N events in … s; … I intakes, …"
        let summary = run.stdout.split(separator: "\n").last.map(String.init) ?? ""
        #expect(summary.hasPrefix("simulate H17(12) SKYEN(6) MOBILE(2): backfill "), "\(run.stdout)")
        func number(before word: String, in s: String) -> Int? {
            guard let r = s.range(of: " \(word)") else { return nil }
            let digits = s[..<r.lowerBound].reversed().prefix { $0.isNumber || $0 == "," }
            return Int(String(digits.reversed()).replacingOccurrences(of: ",", with: ""))
        }
        let intakes = try #require(number(before: "intakes", in: summary))
        #expect(intakes > 1_000)

        let now = DaemonProcess.testClockStartMs
        let today = Self.calendar.localTime(ms: now).date
        let period = ["--from", today.adding(days: -7).description, "--to", today.description]
        let report = try await daemon.dcrctl(["report", "intakes", "--json"] + period).json()
        #expect(report["total"] as? Int == intakes)

        // The same seed on the same day sends the same events: all duplicates, nothing counted twice.
        let again = try await daemon.dcrctl(["simulate", "--backfill", "1", "--speed", "0", "--seed", "3"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("duplicates"), "\(again.stdout)")
        #expect(try await daemon.dcrctl(["report", "intakes", "--json"] + period).json()["total"] as? Int == intakes)

        // Live, much faster than real time: stamped with the daemon's clock, so nothing is refused.
        let live = try await daemon.dcrctl(["simulate", "--speed", "3600", "--duration", "2", "--seed", "4", "--site", "H17"])
        #expect(live.status == 0, "\(live.stderr)")
        #expect(live.stdout.contains("live "), "\(live.stdout)")

        let refused = try await daemon.dcrctl(["simulate", "--site", "NOPE:3", "--backfill", "1", "--speed", "0"])
        #expect(refused.status == 65, "an unknown site is refused with EX_DATAERR")
        #expect(refused.stderr.contains("is not a configured site"), "\(refused.stderr)")
    }
}
