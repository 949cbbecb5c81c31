import ArgumentParser
import DCRModel
import DCRWire

struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Exact counts for any period: intakes, clients, incidents, referrals or turn-aways.",
        discussion: """
            Examples:
              dcrctl report intakes --from 2012-08-13 --to 2012-10-07 --by site
              dcrctl report clients --from 2016-01-01 --to 2022-12-31 --by year,gender
              dcrctl report incidents --from 2022-12-18 --to 2023-01-18 --by incident-kind,victim-gender --scale 12
              dcrctl report intakes --from 2012-08-13 --to 2012-10-07 --by week --chart
              dcrctl report turn-aways --from 2022-12-01 --to 2022-12-31 --by site,reason
            Dimensions: site, year, month, week, date, weekday, hour, gender, age, substance, route, \
            municipality, incident-kind, victim-gender, target, reason (turn-aways: first-time-user, \
            under-age, intoxicated, suspended, room-full, other). Dates are local (the daemon's time zone), \
            both ends inclusive. --scale marks the result as an estimate and prints it beside the counts.
            """)

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "intakes, clients, incidents, referrals or turn-aways.") var measure: String
    @Option(name: .long, help: ArgumentHelp("First local date, YYYY-MM-DD.", valueName: "date")) var from: String
    @Option(name: .long, help: ArgumentHelp("Last local date, YYYY-MM-DD (inclusive).", valueName: "date")) var to: String
    @Option(name: .long, help: ArgumentHelp("Group by these dimensions, comma-separated.", valueName: "dims")) var by: String?
    @Option(name: .long, help: ArgumentHelp("Only these sites (repeatable).", valueName: "code")) var site: [String] = []
    @Option(name: .long, help: ArgumentHelp("An explicit estimate factor, e.g. 12 for one month × 12.", valueName: "n")) var scale: Double?
    @Flag(name: .long, help: "Print JSON ({\"version\": 1, …}).") var json = false
    @Flag(name: .long, help: "Print CSV for spreadsheets.") var csv = false
    @Flag(name: .long, help: "Draw a horizontal bar chart (colour only on a terminal, never with NO_COLOR).") var chart = false

    func query() throws -> ReportQuery {
        guard let m = Measure(label: measure), m != .unspecified else {
            throw ValidationError("\(measure): expected intakes, clients, incidents, referrals or turn-aways")
        }
        guard let f = LocalDate(parsing: from) else { throw ValidationError("--from \(from): expected a date YYYY-MM-DD") }
        guard let t = LocalDate(parsing: to) else { throw ValidationError("--to \(to): expected a date YYYY-MM-DD") }
        var dims: [Dimension] = []
        for d in (by ?? "").split(separator: ",") {
            guard let dim = Dimension(label: String(d)), dim != .unspecified else {
                throw ValidationError("--by \(d): expected one of \(Dimension.labels.filter { $0 != "unknown" }.joined(separator: ", "))")
            }
            dims.append(dim)
        }
        if let scale, !(scale > 0) { throw ValidationError("--scale \(scale): must be a positive number") }
        return ReportQuery(measure: m, from: f, to: t, groupBy: dims, sites: site, scale: scale)
    }

    func run() async throws {
        let q = try query()
        let c = try await connection.open(role: .monitor)
        defer { Task { await c.close() } }
        let r = try checked(try await c.send(.report(q)))
        guard case .report(let report) = r.body else { throw ExitCode(1) }
        if json { print(ReportView.json(report).render()) }
        else if csv { print(ReportView.csv(report), terminator: "") }
        else if chart { print(ChartView.render(report, colour: ChartView.wantsColour())) }
        else { print(ReportView.text(report)) }
    }
}

enum ReportView {
    static func share(_ n: UInt64, of total: UInt64) -> Double { total == 0 ? 0 : Double(n) * 100 / Double(total) }

    /// The sum the shares are taken of: rows add up for counts; for distinct clients the period's
    /// total is what the documents' tables use.
    static func base(_ r: Report) -> UInt64 {
        r.query.measure == .distinctClients ? r.total : r.rows.reduce(0) { $0 + $1.count }
    }

    static func estimateNote(_ r: Report) -> String? {
        guard let s = r.query.scale else { return nil }
        return "estimate: × \(fixed(s, s == s.rounded() ? 0 : 2)) of \(r.query.from)–\(r.query.to) (measured counts beside it)"
    }

    /// Retention keeps old years only as aggregates; said wherever a number could not be exact.
    static func aggregateNote(_ r: Report) -> String? {
        r.approximate ? "approximate: part of the period is kept only as aggregates (retain-years), and distinct clients for this grouping are sums over periods; group by year (or month) over whole years for exact counts" : nil
    }

    static func json(_ r: Report) -> JSON {
        let q = r.query
        var doc: [(String, JSON)] = [
            ("version", .int(1)), ("measure", .string(q.measure.label)), ("from", .string(q.from.description)),
            ("to", .string(q.to.description)), ("group_by", .array(q.groupBy.map { .string($0.label) })),
            ("sites", .array(q.sites.map { .string($0) })), ("total", .uint(r.total)),
        ]
        doc.append(("scale", q.scale.map { .double($0) } ?? .null))
        doc.append(("estimate", .bool(q.scale != nil)))
        doc.append(("approximate", .bool(r.approximate)))
        let b = base(r)
        let sums = Dictionary(groups(r).map { ($0.key, $0.sum) }, uniquingKeysWith: +)
        doc.append(("rows", .array(r.rows.map { row in
            var o: [(String, JSON)] = [("keys", .array(row.keys.map { .string($0) })), ("count", .uint(row.count)),
                                       ("share_percent", .double(share(row.count, of: b)))]
            if let s = q.scale { o.append(("estimate", .double(Double(row.count) * s))) }
            if q.groupBy.count >= 2, let g = sums[row.keys.first ?? ""] {
                o.append(("group_share_percent", .double(share(row.count, of: g))))
            }
            return .object(o)
        })))
        if q.groupBy.count >= 2 {
            // Per first key: the group's sum (Table 1's yearly totals) and its estimate.
            doc.append(("subtotals", .array(groups(r).map { g in
                var o: [(String, JSON)] = [("keys", .array([.string(g.key)])), ("count", .uint(g.sum))]
                if let s = q.scale { o.append(("estimate", .double(Double(g.sum) * s))) }
                return .object(o)
            })))
        }
        return .object(doc)
    }

    static func csv(_ r: Report) -> String {
        let q = r.query
        var header = q.groupBy.map(\.label) + ["count", "share_percent"]
        if q.scale != nil { header.append("estimate") }
        var lines = [header.joined(separator: ",")]
        let b = base(r)
        for row in r.rows {
            var cells = row.keys.map(csvCell) + [String(row.count), fixed(share(row.count, of: b), 1)]
            if let s = q.scale { cells.append(fixed(Double(row.count) * s, 0)) }
            lines.append(cells.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvCell(_ s: String) -> String {
        s.contains(",") || s.contains("\"") ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// Rows grouped by their first key, with the group's sum: with two or more dimensions the
    /// table prints shares within each group and a subtotal per group (Table 1: each year's men,
    /// women and total). For distinct clients under a client attribute (gender, age band), the
    /// group's sum is the group's distinct clients: each counts once, under their latest value.
    static func groups(_ r: Report) -> [(key: String, rows: [ReportRow], sum: UInt64)] {
        var out: [(key: String, rows: [ReportRow], sum: UInt64)] = []
        for row in r.rows {
            let key = row.keys.first ?? ""
            if out.last?.key == key {
                out[out.count - 1].rows.append(row)
                out[out.count - 1].sum += row.count
            } else {
                out.append((key, [row], row.count))
            }
        }
        return out
    }

    static func text(_ r: Report) -> String {
        let q = r.query
        let b = base(r)
        var header = q.groupBy.map { $0.label.uppercased() } + [q.measure.label.uppercased(), "SHARE"]
        if q.scale != nil { header.append("ESTIMATE") }
        let first = q.groupBy.count
        var t = Table(header: header, rightAligned: Set(first..<header.count))
        func estimate(_ n: UInt64) -> String? { q.scale.map { grouped(Int64((Double(n) * $0).rounded())) } }
        if q.groupBy.count >= 2 {
            for g in groups(r) {
                for row in g.rows {
                    t.rows.append(row.keys + [grouped(row.count), "\(Int(share(row.count, of: g.sum).rounded()))%"] + [estimate(row.count)].compactMap { $0 })
                }
                let sub = [g.key, "total"] + Array(repeating: "", count: q.groupBy.count - 2)
                t.rows.append(sub + [grouped(g.sum), "100%"] + [estimate(g.sum)].compactMap { $0 })
            }
        } else {
            for row in r.rows {
                t.rows.append(row.keys + [grouped(row.count), "\(Int(share(row.count, of: b).rounded()))%"] + [estimate(row.count)].compactMap { $0 })
            }
        }
        var totalRow = (q.groupBy.isEmpty ? [] : ["total"] + Array(repeating: "", count: max(0, q.groupBy.count - 1)))
            + [grouped(r.total), r.rows.isEmpty || q.groupBy.count >= 2 ? "" : "100%"]
        if let e = estimate(r.total) { totalRow.append(e) }
        t.rows.append(totalRow)
        var out = "\(q.measure.label), \(q.from) – \(q.to)" + (q.sites.isEmpty ? "" : ", sites \(q.sites.joined(separator: ", "))") + "\n"
        out += t.render()
        if let note = estimateNote(r) { out += "\n" + note }
        if let note = aggregateNote(r) { out += "\n" + note }
        return out
    }
}
