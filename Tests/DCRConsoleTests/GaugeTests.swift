import DCRConsole
import Testing

@Suite("Bars, sparklines and numbers")
struct GaugeTests {
    @Test("sparkline: zero is the lowest block, the peak a full one, the newest minute on the right")
    func sparkline() {
        #expect(Gauge.sparkline([0, 1, 2, 4, 8], width: 5) == "▁▂▃▅█")
        #expect(Gauge.sparkline([0, 0, 0], width: 3) == "▁▁▁")
        #expect(Gauge.sparkline([1], width: 1) == "█")
        // Narrower than the data: the most recent minutes; wider: padded on the left (no data yet).
        #expect(Gauge.sparkline([8, 0, 8], width: 2) == "▁█")
        #expect(Gauge.sparkline([8], width: 3) == "▁▁█")
        #expect(Gauge.sparkline(Array(repeating: 3, count: 60), width: 60).count == 60)
    }

    @Test("bar: taken of capacity, one taken booth always visible, never over full")
    func bar() {
        #expect(Gauge.bar(taken: 6, capacity: 12, width: 10) == ("█████", "░░░░░"))
        #expect(Gauge.bar(taken: 1, capacity: 100, width: 10).filled == "█")
        #expect(Gauge.bar(taken: 0, capacity: 12, width: 4) == ("", "░░░░"))
        #expect(Gauge.bar(taken: 20, capacity: 12, width: 4) == ("████", ""))
        #expect(Gauge.bar(taken: 0, capacity: 0, width: 3) == ("", "░░░"))
        #expect(Gauge.fullness(taken: 12, capacity: 12) == .red)
        #expect(Gauge.fullness(taken: 9, capacity: 12) == .yellow)
        #expect(Gauge.fullness(taken: 8, capacity: 12) == .green)
    }

    @Test("numbers: grouping, fixed decimals, durations, ages, intervals")
    func numbers() {
        #expect(Format.grouped(9813) == "9,813")
        #expect(Format.grouped(-1_227_000) == "-1,227,000")
        #expect(Format.fixed(190.46) == "190.5")
        #expect(Format.fixed(-0.04) == "0.0")
        #expect(Format.fixed(12.0, 0) == "12")
        #expect(Format.fixed(0.05, 2) == "0.05")
        #expect(Format.duration(ms: 42_000) == "42s")
        #expect(Format.duration(ms: 187_000) == "3m07s")
        #expect(Format.duration(ms: 7_500_000) == "2h05m")
        #expect(Format.age(ms: 12_400) == "12 s")
        #expect(Format.age(ms: 185_000) == "3 min 05 s")
        #expect(Format.interval(ms: 250) == "0.25s")
        #expect(Format.interval(ms: 500) == "0.5s")
        #expect(Format.interval(ms: 2000) == "2s")
    }

    @Test("colour only on a terminal, never with NO_COLOR or TERM=dumb")
    func colour() {
        #expect(colourWanted(isTerminal: true, environment: [:]))
        #expect(!colourWanted(isTerminal: false, environment: [:]))
        #expect(!colourWanted(isTerminal: true, environment: ["NO_COLOR": "1"]))
        #expect(colourWanted(isTerminal: true, environment: ["NO_COLOR": ""]))  // no-color.org: empty means unset
        #expect(!colourWanted(isTerminal: true, environment: ["TERM": "dumb"]))
    }
}
