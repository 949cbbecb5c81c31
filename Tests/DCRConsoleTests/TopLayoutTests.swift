import DCRConsole
import DCRModel
import Testing

@Suite("dcrctl top: layout and keys, without a terminal")
struct TopLayoutTests {
    static func snapshot() -> LoadSnapshot {
        var perMinute = [UInt32](repeating: 0, count: 60)
        perMinute[59] = 4
        perMinute[30] = 2
        return LoadSnapshot(serverTimeMs: 1_773_392_400_000, uptimeMs: 3_723_000, serverVersion: "0.1.0",
                            terminalsConnected: 3, eventsPerSecond: 4.2, sites: [
            SiteLoad(site: "H17", boothsTaken: 8, capacity: 12, intakes5m: 3, intakes15m: 9, intakes1h: 31,
                     intakesToday: 214, typicalToday: 190.5, typicalWeeks: 4, incidentsToday: 1, referralsToday: 2,
                     intakesPerMinute: perMinute),
            SiteLoad(site: "SKYEN", boothsTaken: 6, capacity: 6, intakesToday: 12),
            SiteLoad(site: "MOBILE", capacity: 2),
        ])
    }

    static func live() -> TopState {
        var s = TopState(intervalMs: 1000)
        s.received(snapshot())
        return s
    }

    static func screen(_ s: TopState, _ size: TerminalSize = .fallback, age: Int64? = 200) -> [String] {
        Frame.plain(TopLayout.render(s, size: size, clock: .init(ageMs: age, updatedAt: "10:00:00"), address: "unix:/run/dcr/dcrd.sock"),
                    size: size).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    @Test("80×24: header, three site blocks, keys on the last row; nothing wider than 80")
    func fits80x24() {
        let lines = Self.screen(Self.live())
        #expect(lines.count == 24)
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(lines[0].hasPrefix("dcrd 0.1.0  up 1h02m  terminals 3  4.2 events/s"))
        #expect(lines[0].hasSuffix("updated 10:00:00"))
        #expect(lines[1].hasPrefix("live  every 1s · all sites"))
        let text = lines.joined(separator: "\n")
        #expect(text.contains("] 8/12"))
        #expect(text.contains("intakes  5 min 3   15 min 9   1 h 31    incidents 1   referrals 2"))
        #expect(text.contains("today 214   typical at this time on this weekday 190.5 (+12 %)"))
        #expect(text.contains("today 0   typical at this time: no history yet"))
        #expect(text.contains("max 4/min"))
        #expect(lines[23].hasPrefix(" q quit  s site: all  +/- interval: 1s  ? help"))
        // The sparkline: 60 minutes, newest on the right.
        let spark = lines.first { $0.contains("max 4/min") }!
        #expect(spark.filter { "▁▂▃▄▅▆▇█".contains($0) }.count == 60)
        #expect(spark.contains("█  max 4/min"))
    }

    @Test("wider and taller terminals get longer bars and the keys move to the new last row")
    func followsSize() {
        let small = Self.screen(Self.live())
        let big = Self.screen(Self.live(), TerminalSize(columns: 100, rows: 30))
        func barLength(_ lines: [String]) -> Int { lines.first { $0.hasPrefix("H17") }!.filter { $0 == "█" || $0 == "░" }.count }
        #expect(barLength(big) == barLength(small) + 20)
        #expect(big.count == 30)
        #expect(big[29].hasPrefix(" q quit"))
        // Every site's bar has the same length, whatever its count's width.
        let bars = small.filter { $0.contains("booths [") }.map { $0.filter { $0 == "█" || $0 == "░" }.count }
        #expect(Set(bars).count == 1)
    }

    @Test("too few rows for blocks: one line per site; fewer still: a note of how many are hidden")
    func compact() {
        let lines = Self.screen(Self.live(), TerminalSize(columns: 80, rows: 8))
        #expect(lines.contains { $0.hasPrefix("H17      booths 8/12  5m 3 15m 9 1h 31  today 214 (typical 190.5)") })
        #expect(lines.contains { $0.hasPrefix("MOBILE   booths 0/2") })
        let tiny = Self.screen(Self.live(), TerminalSize(columns: 80, rows: 6))
        #expect(tiny.contains("+2 more sites: s shows one at a time"))
        #expect(tiny[5].hasPrefix(" q quit"))
    }

    @Test("numbers older than two intervals carry their age; a lost daemon says reconnecting")
    func staleness() {
        var s = Self.live()
        #expect(!s.isStale(ageMs: 2000))
        #expect(s.isStale(ageMs: 2001))
        let old = Self.screen(s, age: 12_400)
        #expect(old[1].hasPrefix(" Last update 12 s ago   not live"))
        #expect(!old.joined().contains("live  every"))
        s.lost("daemon unreachable: connection refused")
        let away = Self.screen(s, age: 500)
        #expect(away[1].hasPrefix(" reconnecting…   Last update 0 s ago   daemon unreachable: connection refused"))
        s.received(Self.snapshot())
        #expect(Self.screen(s)[1].hasPrefix("live"))
        let fresh = TopState(intervalMs: 1000)
        #expect(Self.screen(fresh, age: nil)[1] == "connecting to unix:/run/dcr/dcrd.sock…")
    }

    @Test("keys: s steps all → each site → all, + and - step the interval, ? toggles help, q quits")
    func keys() {
        var s = Self.live()
        #expect(s.press(UInt8(ascii: "s")) == .rewatch)
        #expect(s.siteFilter == "H17")
        // The daemon now answers for H17 only; the known sites stay.
        var one = Self.snapshot()
        one.sites = [one.sites[0]]
        s.received(one)
        #expect(s.knownSites == ["H17", "SKYEN", "MOBILE"])
        _ = s.press(UInt8(ascii: "s"))
        #expect(s.siteFilter == "SKYEN")
        _ = s.press(UInt8(ascii: "s"))
        _ = s.press(UInt8(ascii: "s"))
        #expect(s.siteFilter == nil)

        #expect(s.press(UInt8(ascii: "+")) == .rewatch)
        #expect(s.intervalMs == 2000)
        _ = s.press(UInt8(ascii: "-"))
        _ = s.press(UInt8(ascii: "-"))
        _ = s.press(UInt8(ascii: "-"))
        #expect(s.intervalMs == 250)
        #expect(s.press(UInt8(ascii: "-")) == .none)
        s.intervalMs = 1500  // from --interval 1.5: the steps go to the neighbours
        _ = s.press(UInt8(ascii: "+"))
        #expect(s.intervalMs == 2000)

        #expect(s.press(UInt8(ascii: "?")) == .redraw)
        #expect(Self.screen(s).contains { $0.contains("q          quit") })
        _ = s.press(UInt8(ascii: "?"))
        #expect(!s.showHelp)
        #expect(s.press(UInt8(ascii: "q")) == .quit)
        #expect(s.press(3) == .quit)
        #expect(s.press(UInt8(ascii: "x")) == .none)
    }

    @Test("a filtered view shows only its site, at once")
    func filtered() {
        var s = Self.live()
        _ = s.press(UInt8(ascii: "s"))
        _ = s.press(UInt8(ascii: "s"))
        let text = Self.screen(s).joined(separator: "\n")
        #expect(text.contains("SKYEN"))
        #expect(!text.contains("H17 "))
        #expect(text.contains("live  every 1s · site SKYEN"))
    }

    @Test("without colour a frame has cursor moves but no SGR codes; with colour it has them")
    func colour() {
        let lines = TopLayout.render(Self.live(), size: .fallback, clock: .init(ageMs: 0, updatedAt: nil), address: "x")
        let plain = Frame.render(lines, size: .fallback, colour: false)
        let coloured = Frame.render(lines, size: .fallback, colour: true)
        #expect(!Self.hasSGR(plain))
        #expect(Self.hasSGR(coloured))
        #expect(plain.contains("\u{1B}[24;1H"))
    }

    /// An escape sequence ending in "m" (Select Graphic Rendition: colour, bold, reverse…).
    static func hasSGR(_ s: String) -> Bool {
        let u = Array(s.unicodeScalars)
        var i = 0
        while i < u.count {
            if u[i] == "\u{1B}", i + 1 < u.count, u[i + 1] == "[" {
                var j = i + 2
                while j < u.count, ("0"..."9").contains(u[j]) || u[j] == ";" || u[j] == "?" { j += 1 }
                if j < u.count, u[j] == "m" { return true }
                i = j
            } else {
                i += 1
            }
        }
        return false
    }
}
