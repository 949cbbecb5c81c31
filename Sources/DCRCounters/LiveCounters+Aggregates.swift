import DCRModel

extension LiveCounters {
    /// Takes in what retention keeps of whole years: the years' raw records leave the history,
    /// records rebuilt from the event counts (without clients) take their place, so every event
    /// report over them stays exact; distinct clients of those years come from the client counts.
    public mutating func applyAggregates(_ kept: RetainedAggregates) {
        guard let plan = planAggregates(kept) else { return }
        takeAggregates(kept, built: Self.buildAggregateHistory(kept, plan: plan, calendar: calendar))
    }

    /// The cheap first step, under the lock: which of `kept.years` are new, and the site index
    /// of every site they name. nil: nothing new.
    public mutating func planAggregates(_ kept: RetainedAggregates) -> AggregatePlan? {
        let newYears = kept.years.subtracting(aggregatedYears)
        guard !newYears.isEmpty else { return nil }
        var siteIndex: [String: UInt8] = [:]
        for code in Set(kept.events.map(\.site)) {
            if let i = sites.intern(code) { siteIndex[code] = UInt8(i) }
        }
        growPerSiteState()
        return AggregatePlan(years: newYears, siteIndex: siteIndex)
    }

    /// The expensive step, with no lock: a history of the new years rebuilt from their counts
    /// (a local-time conversion per hour, a record per event). A year has about as many cells as
    /// events, so doing this under the lock held every acknowledgement for a second or more.
    public static func buildAggregateHistory(_ kept: RetainedAggregates, plan: AggregatePlan,
                                             calendar: LocalCalendar) -> AggregateHistory {
        var built = AggregateHistory(years: plan.years)
        var instants: [Int: Int64] = [:]
        for a in kept.events where plan.years.contains(a.date.year) && a.kind != .boothRelease {
            guard let site = plan.siteIndex[a.site] else { continue }
            let day = Int32(a.date.dayNumber)
            built.firstDay[Int(site)] = min(built.firstDay[Int(site)] ?? day, day)
            let hourKey = Int(day) * 24 + a.hour
            let at: Int64
            if let known = instants[hourKey] { at = known } else {
                at = calendar.instant(date: a.date, hour: a.hour)
                instants[hourKey] = at
            }
            var r = EventRecord(occurredAtMs: at, client: EventRecord.noClient, minuteOfDay: a.hour * 60, site: site)
            r.gender = UInt8(clamping: a.gender)
            r.ageBand = AgeBand(age: a.age).code
            r.municipality = a.municipality < UInt32(ReportAxis.municipalityCount) ? UInt16(a.municipality) : 0
            r.substance = UInt8(clamping: a.substance)
            r.route = UInt8(clamping: a.route)
            r.incidentKind = UInt8(clamping: a.incidentKind)
            r.victimGender = UInt8(clamping: a.victimGender)
            r.referralTarget = UInt8(clamping: a.referralTarget)
            for _ in 0..<a.events { built.history.insert(r, kind: a.kind, day: day) }
        }
        return built
    }

    /// The last step, under the lock: the swap. Years that became aggregated meanwhile (another
    /// call took them) are left as they are.
    public mutating func takeAggregates(_ kept: RetainedAggregates, built: AggregateHistory) {
        let newYears = built.years.subtracting(aggregatedYears)
        guard !newYears.isEmpty else { return }
        for year in newYears {
            let from = Int32(LocalDate(year: year, month: 1, day: 1).dayNumber)
            let to = Int32(LocalDate(year: year, month: 12, day: 31).dayNumber)
            history.replaceDays(from: from, to: to, with: built.history.slice(from: from, to: to))
        }
        aggregatedYears.formUnion(newYears)
        aggregateClients += kept.clients.filter { newYears.contains($0.year) }
        growPerSiteState()
        for (site, day) in built.firstDay where site < firstDay.count {
            firstDay[site] = min(firstDay[site] ?? day, day)
        }
    }

    /// Distinct clients over a period that reaches into years kept only as aggregates; nil when
    /// it does not. Exact where the kept counts answer the question as raw events would: whole
    /// years (or months, grouped by month), grouped by nothing else than site, gender, age band
    /// and municipality, one period (or a grouping by that period). Otherwise the rows and the
    /// total are sums over periods and the report is marked `approximate`. The years after the
    /// kept ones come from the raw history as usual.
    func distinctClientsWithAggregates(_ query: ReportQuery, betweenDays: () -> Void) throws(StatusError) -> Report? {
        let touched = aggregatedYears.filter { $0 >= query.from.year && $0 <= query.to.year }.sorted()
        guard let lastKept = touched.last else { return nil }
        _ = try ReportPlan(query, sites: sites, history: history)  // the usual refusals first
        let calendar = query.groupBy.filter(\.isCalendar)
        let attributes = query.groupBy.filter { !$0.isCalendar }
        let kept = "\(touched.map(String.init).joined(separator: ", ")) (kept only as aggregates, retain-years)"
        guard calendar.isEmpty || calendar == [.year] || calendar == [.month] else {
            throw StatusError(.failedPrecondition, "report.group_by: distinct clients by \(calendar.map(\.reportName).joined(separator: ", ")) cannot be counted for \(kept); group by year or month")
        }
        if let d = attributes.first(where: { ![.site, .gender, .ageBand, .municipality].contains($0) }) {
            throw StatusError(.failedPrecondition, "report.group_by: distinct clients by \(d.reportName) cannot be counted for \(kept); group by site, gender, age or municipality")
        }
        var exact = true
        let siteGrouped = attributes.contains(.site)
        let included = query.sites.isEmpty ? sites.codes : query.sites
        let scopes: Set<String>
        if siteGrouped {
            scopes = Set(included)
        } else if query.sites.count == 1 {
            scopes = [query.sites[0]]
        } else if query.sites.isEmpty {
            scopes = [""]
        } else {
            scopes = Set(query.sites)
            exact = false
        }
        // The total of one period: every client once, all included sites together.
        let totalScopes: Set<String> = query.sites.count > 1 ? Set(query.sites) : [query.sites.first ?? ""]
        if query.sites.count > 1 { exact = false }

        struct Cell { var keys: [String]; var order: [Int]; var count: UInt64 }
        var cells: [[String]: Cell] = [:]
        var total: UInt64 = 0
        var yearsCounted = 0
        for year in touched {
            let wholeYear = query.from <= LocalDate(year: year, month: 1, day: 1) && query.to >= LocalDate(year: year, month: 12, day: 31)
            let yearCounts = aggregateClients.filter { $0.year == year && $0.month == 0 }
            guard !yearCounts.isEmpty else { continue }
            yearsCounted += 1
            if wholeYear {
                total += yearCounts.filter { totalScopes.contains($0.site) }.reduce(0) { $0 + $1.clients }
            }
            for month in calendar == [.month] ? Array(1...12) : [0] {
                let start = LocalDate(year: year, month: max(month, 1), day: 1)
                let end = month == 0 ? LocalDate(year: year, month: 12, day: 31)
                    : LocalDate(dayNumber: LocalDate(year: month == 12 ? year + 1 : year, month: month == 12 ? 1 : month + 1, day: 1).dayNumber - 1)
                if end < query.from || start > query.to { continue }
                if start < query.from || end > query.to { exact = false }
                let counts = aggregateClients.filter { $0.year == year && $0.month == month }
                if !wholeYear {
                    // Part of a year: its clients are known per month only, and a client of two months counts twice.
                    total += counts.filter { totalScopes.contains($0.site) }.reduce(0) { $0 + $1.clients }
                    exact = false
                }
                for c in counts where scopes.contains(c.site) {
                    var keys: [String] = [], order: [Int] = []
                    for d in query.groupBy {
                        switch d {
                        case .year: keys.append(String(year)); order.append(year)
                        case .month: keys.append("\(year)-\(month < 10 ? "0" : "")\(month)"); order.append(year * 12 + month)
                        case .site: keys.append(c.site); order.append(sites.index(of: c.site) ?? Int.max)
                        case .gender: keys.append(Gender(rawValue: c.gender)?.label ?? String(c.gender)); order.append(Int(c.gender))
                        case .ageBand: keys.append(AgeBand(rawValue: c.ageBand)?.label ?? String(c.ageBand)); order.append(Int(c.ageBand))
                        default: keys.append(String(c.municipality)); order.append(Int(c.municipality))
                        }
                    }
                    cells[keys, default: Cell(keys: keys, order: order, count: 0)].count += c.clients
                }
            }
        }
        if yearsCounted > 1 { exact = false }  // the total: a client of two years counts twice
        var rows = cells.values.sorted { $0.order.lexicographicallyPrecedes($1.order) }.map { ReportRow(keys: $0.keys, count: $0.count) }

        let restFrom = max(query.from, LocalDate(year: lastKept + 1, month: 1, day: 1))
        if restFrom <= query.to {
            var rest = query
            rest.from = restFrom
            let raw = try report(rest, betweenDays: betweenDays)
            if yearsCounted > 0 { exact = false }  // a client of both parts would count twice in the total
            total += raw.total
            if calendar.isEmpty {
                for row in raw.rows {
                    if let i = rows.firstIndex(where: { $0.keys == row.keys }) { rows[i].count += row.count } else { rows.append(row) }
                }
            } else {
                rows += raw.rows  // later periods, after the kept ones
            }
        }
        return Report(query: query, rows: rows, total: total, approximate: !exact)
    }
}
