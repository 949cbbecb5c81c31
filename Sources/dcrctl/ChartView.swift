import DCRModel
#if canImport(Glibc)
import Glibc
#endif

/// A horizontal bar chart in the terminal, one bar per report row: intakes per ISO week like
/// the 2012 status's Figure 1, referrals by target like its Figure 2.
///
///     intakes per week, 2012-08-13 – 2012-10-07
///     2012-W33 │████████████████████████████▌        1,170
///     …
///
/// Bars are scaled to the largest row and drawn in eighths of a cell. An estimate (`--scale`)
/// says so in the title and prints the estimate beside each measured count.
enum ChartView {
    static let barWidth = 48
    static let eighths = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org).
    static func wantsColour() -> Bool {
        if let v = getenv("NO_COLOR"), v.pointee != 0 { return false }
        return isatty(1) == 1
    }

    static func bar(_ count: UInt64, max: UInt64) -> String {
        guard max > 0, count > 0 else { return "" }
        let units = Int((Double(count) * Double(barWidth * 8) / Double(max)).rounded())
        let n = Swift.max(units, 1)
        return String(repeating: "█", count: n / 8) + eighths[n % 8]
    }

    static func render(_ r: Report, colour: Bool) -> String {
        let q = r.query
        let by = q.groupBy.isEmpty ? "" : " per " + q.groupBy.map(\.label).joined(separator: " × ")
        var out = "\(q.measure.label)\(by), \(q.from) – \(q.to)"
        if !q.sites.isEmpty { out += ", sites \(q.sites.joined(separator: ", "))" }
        if let note = ReportView.estimateNote(r) { out += " (" + note + ")" }
        if let note = ReportView.aggregateNote(r) { out += " (" + note + ")" }
        out += "\n"
        let rows = q.groupBy.isEmpty ? [ReportRow(keys: ["total"], count: r.total)] : r.rows
        guard !rows.isEmpty else { return out + "(no \(q.measure.label) in this period)" }
        let labels = rows.map { $0.keys.joined(separator: " ") }
        let labelWidth = labels.map(\.count).max() ?? 0
        let largest = rows.map(\.count).max() ?? 0
        let counts = rows.map { row -> String in
            var s = grouped(row.count)
            if let scale = q.scale { s += "  × \(fixed(scale, scale == scale.rounded() ? 0 : 2)) = " + grouped(Int64((Double(row.count) * scale).rounded())) }
            return s
        }
        let countWidth = counts.map(\.count).max() ?? 0
        var lines: [String] = []
        for (i, row) in rows.enumerated() {
            let b = bar(row.count, max: largest)
            let pad = String(repeating: " ", count: barWidth - b.count + 1)
            let label = labels[i] + String(repeating: " ", count: labelWidth - labels[i].count)
            let count = String(repeating: " ", count: countWidth - counts[i].count) + counts[i]
            let drawn = colour ? (row.count == largest ? "\u{1B}[1;36m" : "\u{1B}[36m") + b + "\u{1B}[0m" : b
            lines.append("\(label) │\(drawn)\(pad)\(count)")
        }
        out += lines.joined(separator: "\n")
        if !q.groupBy.isEmpty {
            out += "\n" + String(repeating: " ", count: labelWidth) + " └ total " + grouped(r.total)
            if let scale = q.scale { out += ", estimate " + grouped(Int64((Double(r.total) * scale).rounded())) }
        }
        return out
    }
}
