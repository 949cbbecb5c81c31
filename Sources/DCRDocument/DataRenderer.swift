import DCRModel

/// The machine-readable twin of a document: the same numbers after the same suppression, as
/// one JSON document (`{"version": 1, …}`) or one CSV per table. A hidden cell is
/// `{"suppressed": "small"|"complementary"}` in JSON and `<5` or `x` in CSV, never its value.
public enum DataRenderer {
    public static func json(_ d: Document) -> String {
        var tables: [String] = []
        for case .table(let t) in d.sections {
            let grid = Grid(t, d)
            let rows = grid.rows.map { row in
                "{\"key\":\(str(row.key)),\"label\":\(str(row.label)),\"cells\":{" +
                    row.cells.map { "\(str($0.column)):\(value($0.cell))" }.joined(separator: ",") + "}}"
            }
            tables.append("{\"id\":\(str(t.id)),\"title\":\(str(t.title)),\"estimate_factor\":\(t.scale.map { "\($0)" } ?? "null"),\"rows\":[" + rows.joined(separator: ",") + "]}")
        }
        return "{\"version\":1,\"title\":\(str(d.title)),\"from\":\(str(d.period.from)),\"to\":\(str(d.period.to)),"
            + "\"language\":\(str(d.language.rawValue)),\"public\":\(d.publicThreshold != nil),"
            + "\"suppression_threshold\":\(d.publicThreshold.map(String.init) ?? "null"),\"tables\":[" + tables.joined(separator: ",") + "]}\n"
    }

    /// One CSV text per table id.
    public static func csv(_ d: Document) -> [(name: String, text: String)] {
        var out: [(String, String)] = []
        for case .table(let t) in d.sections {
            let grid = Grid(t, d)
            let columns = grid.rows.first?.cells.map(\.column) ?? []
            var lines = [(["key"] + columns).joined(separator: ",")]
            for row in grid.rows {
                lines.append(([row.key] + row.cells.map { cell in
                    switch cell.cell { case .shown(let v): "\(v)"; case .small: "<\(d.publicThreshold ?? 0)"; case .complementary: "x" }
                }).map(csvCell).joined(separator: ","))
            }
            out.append((t.id + ".csv", lines.joined(separator: "\n") + "\n"))
        }
        return out
    }

    /// A table's printed cells, keyed as the HTML keys them.
    struct Grid {
        var rows: [(key: String, label: String, cells: [(column: String, cell: SuppressedTable.Cell)])] = []
        init(_ t: TableSection, _ d: Document) {
            let values = t.rows.map(\.values)
            let totals = t.rowTotals ?? values.map { $0.reduce(0, +) }
            let withTotals = t.hasRowTotals || t.columns.count > 1 || t.rowShares
            let sup = d.publicThreshold.map {
                SuppressedTable(values: values, columns: t.columns.count, threshold: $0, rowTotals: withTotals,
                                columnTotals: t.columnTotals || (t.columns.count == 1 && !withTotals))
            }
            for (r, row) in t.rows.enumerated() {
                var cells = row.values.enumerated().map { (c, v) in (t.columns[c].key, sup?.cells[r][c] ?? .shown(v)) }
                if withTotals && t.columns.count > 1 { cells.append(("total", sup?.rowTotals?[r] ?? .shown(totals[r]))) }
                rows.append((row.key, row.label, cells))
            }
            if t.columnTotals {
                var cells = t.columns.indices.map { c in (t.columns[c].key, sup?.columnTotals?[c] ?? .shown(values.reduce(0) { $0 + $1[c] })) }
                if withTotals && t.columns.count > 1 { cells.append(("total", sup?.grandTotal ?? .shown(totals.reduce(0, +)))) }
                rows.append(("total", "total", cells))
            }
        }
    }

    static func value(_ c: SuppressedTable.Cell) -> String {
        switch c {
        case .shown(let v): "\(v)"
        case .small: "{\"suppressed\":\"small\"}"
        case .complementary: "{\"suppressed\":\"complementary\"}"
        }
    }

    static func str(_ s: String) -> String { JSON.quote(s) }

    static func csvCell(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}
