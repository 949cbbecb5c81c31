import DCRModel

/// The built-in layouts. Each asks the report engine (the same one `dcrctl report` asks) for
/// exactly the reports it prints, and arranges them; no number is computed here but shares.
public enum Layout: String, Sendable, CaseIterable {
    /// Like the 2012 eight-week status: intakes per day and week, distinct clients, intakes by
    /// site, referrals by target, incidents by kind.
    case status
    /// Like the 2023 answer to the council: Table 1 over several years, incidents by kind and
    /// victim's gender, referrals, intakes per month, each year against the one before.
    case year

    public typealias ReportSource = @Sendable (ReportQuery) async throws -> Report

    public func build(from: LocalDate, to: LocalDate, sites: [String], scale: Double?, language l: Language,
                      publicThreshold: UInt64?, madeAt: String, reports: ReportSource) async throws -> Document {
        func q(_ m: Measure, _ dims: [Dimension]) -> ReportQuery {
            ReportQuery(measure: m, from: from, to: to, groupBy: dims, sites: sites, scale: nil)
        }
        var sections: [Section] = []
        switch self {
        case .status:
            let intakes = try await reports(q(.intakes, []))
            let clients = try await reports(q(.distinctClients, []))
            let incidents = try await reports(q(.incidents, []))
            let referrals = try await reports(q(.referrals, []))
            sections.append(.table(TableSection(
                id: "key-figures", title: l == .da ? "Nøgletal" : "Key figures", rowHeader: "",
                columns: [(key: "count", label: l.text(.count))],
                rows: [("intakes", l.text(.intakes), [intakes.total]), ("clients", l.text(.clients), [clients.total]),
                       ("incidents", l.text(.incidents), [incidents.total]), ("referrals", l.text(.referrals), [referrals.total])],
                scale: scale)))
            let perDay = try await reports(q(.intakes, [.date]))
            sections.append(.chart(Self.chart("intakes-per-day", l.text(.perDay), perDay, "date", l, horizontal: false)))
            let perWeek = try await reports(q(.intakes, [.isoWeek]))
            sections.append(.chart(Self.chart("intakes-per-week", l.text(.perWeek), perWeek, "week", l, horizontal: false)))
            sections.append(.table(Self.oneWay("intakes-per-week-table", l.text(.perWeek), perWeek, "week", l.text(.intakes), l, scale: scale)))
            let bySite = try await reports(q(.intakes, [.site]))
            sections.append(.table(Self.oneWay("intakes-by-site", l.text(.bySite), bySite, "site", l.text(.intakes), l, scale: scale)))
            let byTarget = try await reports(q(.referrals, [.referralTarget]))
            sections.append(.chart(Self.chart("referrals-by-target", l.text(.byTarget), byTarget, "target", l, horizontal: true)))
            sections.append(.table(Self.oneWay("referrals-by-target-table", l.text(.byTarget), byTarget, "target", l.text(.referrals), l, scale: scale)))
            let byKind = try await reports(q(.incidents, [.incidentKind]))
            sections.append(.table(Self.oneWay("incidents-by-kind", l.text(.incidents), byKind, "incident-kind", l.text(.incidents), l, scale: scale)))
        case .year:
            let table1 = try await reports(q(.distinctClients, [.year, .gender]))
            sections.append(.table(Self.twoWay("clients-by-year-gender", l.text(.byGender), table1, l.text(.year), "year", "gender",
                                               l, groupTotals: true, shares: true, columnTotals: false, scale: scale)))
            let incidents = try await reports(q(.incidents, [.incidentKind, .victimGender]))
            sections.append(.table(Self.twoWay("incidents-by-kind-gender", l.text(.byKind), incidents, l.text(.incidents), "incident-kind", "victim-gender",
                                               l, groupTotals: false, shares: false, columnTotals: true, scale: scale)))
            let referrals = try await reports(q(.referrals, [.referralTarget, .year]))
            sections.append(.table(Self.twoWay("referrals-by-target-year", l.text(.byTarget), referrals, l.text(.referrals), "target", "year",
                                               l, groupTotals: false, shares: false, columnTotals: true, scale: scale)))
            let perMonth = try await reports(q(.intakes, [.month]))
            sections.append(.chart(Self.chart("intakes-per-month", l.text(.perMonth), perMonth, "month", l, horizontal: false)))
            let perYear = try await reports(q(.intakes, [.year]))
            var t = Self.oneWay("intakes-per-year", l.text(.yearOnYear), perYear, "year", l.text(.intakes), l, scale: scale)
            t.rowChange = true
            sections.append(.table(t))
        }
        let title = (self == .status ? l.text(.statusTitle) : l.text(.yearTitle)) + ": " + l.text(.intakes).lowercased()
            + (sites.isEmpty ? "" : " (" + sites.joined(separator: ", ") + ")")
        return Document(title: title, period: (from.description, to.description), language: l,
                        publicThreshold: publicThreshold, sections: sections, madeAt: madeAt)
    }

    static func chart(_ id: String, _ title: String, _ r: Report, _ dim: String, _ l: Language, horizontal: Bool) -> ChartSection {
        ChartSection(id: id, title: title, bars: r.rows.map { (key: $0.keys[0], label: l.key($0.keys[0], of: dim), value: $0.count) },
                     horizontal: horizontal)
    }

    static func oneWay(_ id: String, _ title: String, _ r: Report, _ dim: String, _ measure: String, _ l: Language, scale: Double?) -> TableSection {
        TableSection(id: id, title: title, rowHeader: "", columns: [(key: "count", label: measure)],
                     rows: r.rows.map { (key: $0.keys[0], label: l.key($0.keys[0], of: dim), values: [$0.count]) },
                     columnTotals: true, scale: scale)
    }

    /// Rows by the first key, columns by the second, in the engine's order. With `groupTotals`
    /// the row total is the group's sum as the engine gives it (for distinct clients under a
    /// client attribute: the group's distinct clients, Table 1's "I alt").
    static func twoWay(_ id: String, _ title: String, _ r: Report, _ rowHeader: String, _ rowDim: String, _ colDim: String,
                       _ l: Language, groupTotals: Bool, shares: Bool, columnTotals: Bool, scale: Double?) -> TableSection {
        var rowKeys: [String] = []
        var colKeys: [String] = []
        var counts: [String: [String: UInt64]] = [:]
        for row in r.rows where row.keys.count == 2 {
            if !rowKeys.contains(row.keys[0]) { rowKeys.append(row.keys[0]) }
            if !colKeys.contains(row.keys[1]) { colKeys.append(row.keys[1]) }
            counts[row.keys[0], default: [:]][row.keys[1]] = row.count
        }
        let order = ["male", "female", "other", "unknown"]
        colKeys.sort { (order.firstIndex(of: $0) ?? 99, $0) < (order.firstIndex(of: $1) ?? 99, $1) }
        let rows = rowKeys.map { k in (key: k, label: l.key(k, of: rowDim), values: colKeys.map { counts[k]?[$0] ?? 0 }) }
        return TableSection(id: id, title: title, rowHeader: rowHeader,
                            columns: colKeys.map { (key: $0, label: l.key($0, of: colDim)) }, rows: rows,
                            rowTotals: groupTotals ? rows.map { $0.values.reduce(0, +) } : nil,
                            columnTotals: columnTotals, rowShares: shares, scale: scale)
    }
}
