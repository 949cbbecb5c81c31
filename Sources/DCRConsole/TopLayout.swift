import DCRModel

/// Lays out `dcrctl top` for a terminal of any size: a header, one block per site (or one line
/// per site when the blocks do not fit), and the keys on the last row. Pure: the same state,
/// size and age always give the same screen.
public enum TopLayout {
    /// What the clock says, supplied by the caller so that layout stays pure.
    public struct Clock: Sendable {
        /// Milliseconds since the last answer arrived (monotonic), nil before the first.
        public var ageMs: Int64?
        /// The daemon's time of the last answer, formatted for people (e.g. "10:02:13").
        public var updatedAt: String?
        public init(ageMs: Int64?, updatedAt: String?) {
            self.ageMs = ageMs
            self.updatedAt = updatedAt
        }
    }

    static let indent = 9
    static let blockHeight = 4

    public static func render(_ state: TopState, size: TerminalSize, clock: Clock, address: String) -> [Line] {
        let rows = max(1, size.rows)
        var lines = header(state, clock: clock, address: address, columns: size.columns)
        lines.append(Line())
        let body = max(0, rows - lines.count - 1)
        if state.showHelp {
            lines += help.prefix(body)
        } else {
            lines += sites(state, stale: state.isStale(ageMs: clock.ageMs), columns: size.columns, rows: body)
        }
        while lines.count < rows - 1 { lines.append(Line()) }
        lines = Array(lines.prefix(rows - 1))
        lines.append(footer(state))
        return lines
    }

    // MARK: header

    static func header(_ state: TopState, clock: Clock, address: String, columns: Int) -> [Line] {
        var first = Line()
        if let l = state.snapshot {
            first.append("dcrd \(l.serverVersion)", .bold)
            first.append("  up \(Format.duration(ms: l.uptimeMs))  terminals \(l.terminalsConnected)  \(Format.fixed(l.eventsPerSecond)) events/s")
            if let at = clock.updatedAt {
                let right = "updated \(at)"
                let gap = columns - first.width - right.count
                first.append(String(repeating: " ", count: max(2, gap)) + right)
            }
        } else {
            first.append("dcrd", .bold)
            first.append("  \(address)")
        }
        var second = Line()
        let stale = state.isStale(ageMs: clock.ageMs)
        let age = clock.ageMs.map { "last update \(Format.age(ms: $0)) ago" }
        switch state.link {
        case .connecting where state.snapshot == nil:
            second.append("connecting to \(address)…", .yellow)
        case .reconnecting(let reason):
            second.append(" reconnecting… ", .alert)
            if let age, state.snapshot != nil { second.append(" "); second.append(" \(age.uppercasedFirst()) ", .alert) }
            second.append("  \(reason)", .dim)
        default:
            if stale, let age {
                second.append(" \(age.uppercasedFirst()) ", .alert)
                second.append("  not live: the numbers below are old", .yellow)
            } else {
                second.append("live", .green)
                second.append("  every \(Format.interval(ms: state.intervalMs)) · \(state.siteFilter.map { "site \($0)" } ?? "all sites")")
            }
        }
        return [first, second]
    }

    // MARK: sites

    static func sites(_ state: TopState, stale: Bool, columns: Int, rows: Int) -> [Line] {
        guard rows > 0 else { return [] }
        guard let snapshot = state.snapshot else { return [] }
        let shown = snapshot.sites.filter { state.siteFilter == nil || $0.site == state.siteFilter }
        if shown.isEmpty { return [Line("no sites" + (state.siteFilter.map { " named \($0)" } ?? ""))] }
        let nameWidth = max(indent - 1, shown.map(\.site.count).max() ?? 0)
        // Every site's bar the same length: the count beside it is padded to the widest.
        let countWidth = shown.map { " \($0.capacity)/\($0.capacity)".count }.max() ?? 0
        if shown.count * (blockHeight + 1) - 1 <= rows {
            var out: [Line] = []
            for (i, s) in shown.enumerated() {
                if i > 0 { out.append(Line()) }
                out += block(s, stale: stale, nameWidth: nameWidth, countWidth: countWidth, columns: columns)
            }
            return out
        }
        var out: [Line] = []
        let fit = shown.count <= rows ? shown.count : max(0, rows - 1)
        for s in shown.prefix(fit) { out.append(compact(s, stale: stale, nameWidth: nameWidth)) }
        if fit < shown.count { out.append(Line("+\(shown.count - fit) more sites: s shows one at a time")) }
        return out
    }

    static func padded(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: max(0, width - s.count)) }

    static func block(_ s: SiteLoad, stale: Bool, nameWidth: Int, countWidth: Int, columns: Int) -> [Line] {
        let num: Style = stale ? .dim : .bold
        let lead = String(repeating: " ", count: nameWidth + 1)

        var booths = Line([Span(s.site, .bold), Span(String(repeating: " ", count: nameWidth + 1 - s.site.count))])
        let count = " \(s.boothsTaken)/\(s.capacity)"
        let barWidth = min(100, max(4, columns - nameWidth - 1 - "booths ".count - 2 - max(count.count, countWidth)))
        let (filled, empty) = Gauge.bar(taken: s.boothsTaken, capacity: s.capacity, width: barWidth)
        let fullness = stale ? Style.dim : Gauge.fullness(taken: s.boothsTaken, capacity: s.capacity)
        booths.append("booths [")
        booths.append(filled, fullness)
        booths.append(empty, .dim)
        booths.append("]")
        booths.append(count, stale ? .dim : (fullness == .red ? .red : .bold))

        var intakes = Line([Span(lead + "intakes  5 min "), Span("\(s.intakes5m)", num), Span("   15 min "),
                            Span("\(s.intakes15m)", num), Span("   1 h "), Span(Format.grouped(s.intakes1h), num)])
        intakes.append("    incidents ")
        intakes.append("\(s.incidentsToday)", s.incidentsToday > 0 && !stale ? .yellow : num)
        intakes.append("   referrals ")
        intakes.append("\(s.referralsToday)", num)
        intakes.append("   turned away ")
        intakes.append("\(s.turnAwaysToday)", num)

        var today = Line([Span(lead + "today "), Span(Format.grouped(s.intakesToday), num)])
        if s.typicalWeeks == 0 {
            today.append("   typical at this time: ")
            today.append("no history yet", .dim)
        } else {
            today.append("   typical at this time on this weekday ")
            today.append(Format.fixed(s.typicalToday), num)
            if s.typicalToday > 0 {
                let pct = (Double(s.intakesToday) - s.typicalToday) * 100 / s.typicalToday
                let sign = pct >= 0 ? "+" : ""
                today.append(" (\(sign)\(Format.fixed(pct, 0)) %)", stale ? .dim : (pct >= 25 ? .yellow : .plain))
            }
            today.append(s.typicalWeeks == 4 ? "" : " (\(s.typicalWeeks) of 4 weeks)", .dim)
        }

        let peak = s.intakesPerMinute.max() ?? 0
        let suffix = "  max \(peak)/min"
        let sparkWidth = min(60, max(0, columns - nameWidth - 1 - suffix.count))
        var spark = Line([Span(lead), Span(Gauge.sparkline(s.intakesPerMinute, width: sparkWidth), stale ? .dim : .green)])
        spark.append(suffix, .dim)
        return [booths, intakes, today, spark]
    }

    static func compact(_ s: SiteLoad, stale: Bool, nameWidth: Int) -> Line {
        let num: Style = stale ? .dim : .bold
        var l = Line([Span(padded(s.site, nameWidth + 1), .bold), Span("booths "),
                      Span("\(s.boothsTaken)/\(s.capacity)", stale ? .dim : Gauge.fullness(taken: s.boothsTaken, capacity: s.capacity))])
        l.append("  5m "); l.append("\(s.intakes5m)", num)
        l.append(" 15m "); l.append("\(s.intakes15m)", num)
        l.append(" 1h "); l.append("\(s.intakes1h)", num)
        l.append("  today "); l.append(Format.grouped(s.intakesToday), num)
        l.append(s.typicalWeeks == 0 ? " (no history yet)" : " (typical \(Format.fixed(s.typicalToday)))")
        l.append("  inc "); l.append("\(s.incidentsToday)", num)
        l.append(" ref "); l.append("\(s.referralsToday)", num)
        l.append(" away "); l.append("\(s.turnAwaysToday)", num)
        return l
    }

    // MARK: help and keys

    public static let help: [Line] = [
        Line([Span("dcrctl top", .bold), Span(": live load, pushed by dcrd's Watch stream")]),
        "",
        "  q          quit (also Ctrl-C)",
        "  s          next site: all sites, then each site in turn",
        "  +  -       longer / shorter refresh interval (asks the daemon again)",
        "  ?          this help; ? or Esc closes it",
        "",
        "  booths     taken / capacity now; the bar turns yellow at 75 %, red when full",
        "  intakes    in the last 5 min, 15 min and 1 h",
        "  today      intakes since local midnight, against the mean at this time on",
        "             the same weekday over the last 4 weeks",
        "  ▁▂▃▄▅▆▇█   intakes per minute over the last hour, oldest left",
        "",
        "  When the daemon goes away the view says \"reconnecting…\" and tries again by",
        "  itself; numbers older than two intervals carry their age.",
    ]

    static func footer(_ state: TopState) -> Line {
        Line([Span(" q quit  s site: \(state.siteFilter ?? "all")  +/- interval: \(Format.interval(ms: state.intervalMs))  ? help ", .reverse)])
    }
}

extension String {
    func uppercasedFirst() -> String {
        guard let f = first else { return self }
        return f.uppercased() + dropFirst()
    }
}
