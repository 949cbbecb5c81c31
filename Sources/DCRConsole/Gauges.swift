/// Numbers and small pictures, the way the on-call lead reads them.
public enum Format {
    /// 9813 → "9,813".
    public static func grouped(_ n: some BinaryInteger) -> String {
        let s = String(n)
        var out = ""
        for (i, ch) in s.reversed().enumerated() {
            if i > 0 && i % 3 == 0 && ch != "-" { out.append(",") }
            out.append(ch)
        }
        return String(out.reversed())
    }

    /// A fixed number of decimals without Foundation: fixed(190.46, 1) → "190.5".
    public static func fixed(_ d: Double, _ places: Int = 1) -> String {
        guard d.isFinite else { return "–" }
        let scale = [1.0, 10, 100, 1000][min(max(places, 0), 3)]
        let scaled = Int64((abs(d) * scale).rounded())
        let whole = scaled / Int64(scale)
        let frac = scaled % Int64(scale)
        var s = (d < 0 && scaled != 0 ? "-" : "") + String(whole)
        if places > 0 {
            let digits = String(frac)
            s += "." + String(repeating: "0", count: places - digits.count) + digits
        }
        return s
    }

    /// Milliseconds as a compact duration: "42s", "3m07s", "2h05m", "3d04h".
    public static func duration(ms: UInt64) -> String {
        let s = ms / 1000
        func two(_ n: UInt64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(two(s % 60))s" }
        if s < 86400 { return "\(s / 3600)h\(two(s % 3600 / 60))m" }
        return "\(s / 86400)d\(two(s % 86400 / 3600))h"
    }

    /// An interval for people: 250 → "0.25s", 1000 → "1s", 90000 → "90s".
    public static func interval(ms: Int) -> String {
        ms % 1000 == 0 ? "\(ms / 1000)s" : fixed(Double(ms) / 1000, ms % 100 == 0 ? 1 : 2) + "s"
    }

    /// An age in whole seconds for the staleness warning: "12 s", "3 min 05 s".
    public static func age(ms: Int64) -> String {
        let s = max(0, ms) / 1000
        if s < 120 { return "\(s) s" }
        return "\(s / 60) min \(s % 60 < 10 ? "0" : "")\(s % 60) s"
    }
}

public enum Gauge {
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// One character per value, the last `width` values (oldest first): zero is the lowest block,
    /// any count above zero is at least the second, the largest is a full block.
    public static func sparkline(_ values: [UInt32], width: Int) -> String {
        let shown = values.suffix(max(0, width))
        let top = shown.max() ?? 0
        var out = String(repeating: "▁", count: max(0, width - shown.count))
        for v in shown {
            if v == 0 || top == 0 { out.append(levels[0]); continue }
            let level = 1 + Int((Double(v - 1) / Double(max(1, top - 1))) * 6.0 + 0.5)
            out.append(levels[min(7, top == 1 ? 7 : level)])
        }
        return out
    }

    /// A bar `width` cells wide: taken of capacity filled (rounded up, so one taken booth shows).
    public static func bar(taken: UInt32, capacity: UInt32, width: Int) -> (filled: String, empty: String) {
        let w = max(0, width)
        guard capacity > 0 else { return ("", String(repeating: "░", count: w)) }
        let t = min(taken, capacity)
        var filled = Int((UInt64(t) * UInt64(w) + UInt64(capacity) - 1) / UInt64(capacity))
        if t > 0 { filled = max(1, filled) }
        return (String(repeating: "█", count: filled), String(repeating: "░", count: w - filled))
    }

    /// The style for how full a site is: green, yellow from 75 %, red when full.
    public static func fullness(taken: UInt32, capacity: UInt32) -> Style {
        guard capacity > 0 else { return .plain }
        if taken >= capacity { return .red }
        if taken * 4 >= capacity * 3 { return .yellow }
        return .green
    }
}
