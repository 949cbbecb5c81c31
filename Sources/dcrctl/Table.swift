import DCRConsole

/// Aligned columns for people: text left, numbers right.
struct Table {
    var header: [String]
    var rows: [[String]] = []
    var rightAligned: Set<Int> = []

    func render() -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let pad = String(repeating: " ", count: max(0, widths[i] - c.count))
                return rightAligned.contains(i) ? pad + c : c + pad
            }.joined(separator: "  ").trimmedRight()
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}

extension String {
    func trimmedRight() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

/// Numbers the way people read them: one formatter for every view (`DCRConsole.Format`).
func grouped(_ n: some BinaryInteger) -> String { Format.grouped(n) }

func fixed(_ d: Double, _ places: Int = 1) -> String { Format.fixed(d, places) }

func duration(ms: UInt64) -> String { Format.duration(ms: ms) }
