import DCRModel

extension LiveCounters {
    /// Answers the administration's questions exactly from the whole history in memory.
    ///
    /// Rows hold only groups with a count, sorted by their keys in `group_by` order (calendar
    /// keys chronologically, sites in configuration order, registered values in wire order,
    /// municipalities numerically). Counts are never scaled: `query.scale` travels with the
    /// report so an estimate is always shown beside, and marked as, what was measured.
    ///
    /// Distinct clients are the clients with at least one intake in the period (see
    /// `Measure.recordKind`). A client counts once per group; for gender, age band and
    /// municipality (the client's attributes, which can change), under the values of their latest
    /// intake within the group's other keys, so someone registered first as male and later as
    /// female in 2019 counts once in 2019, as female. The total is the number of distinct clients
    /// in the whole filtered period, not the sum of the rows.
    ///
    /// `betweenDays` runs before each day of the scan (a few microseconds apart): the daemon
    /// passes one that steps aside while acknowledgements are owed.
    public func report(_ query: ReportQuery, betweenDays: () -> Void = {}) throws(StatusError) -> Report {
        if query.measure == .distinctClients,
           let answer = try distinctClientsWithAggregates(query, betweenDays: betweenDays) { return answer }
        let plan = try ReportPlan(query, sites: sites, history: history)
        let scan = ReportScan(plan: plan, history: history)
        let (groups, total) = query.measure == .distinctClients
            ? try scan.countDistinctClients(clientCount: clients.count, betweenDays: betweenDays)
            : scan.countEvents(betweenDays: betweenDays)
        // Each value's label made once, not once per row: a report by date × hour × municipality
        // can have a million rows.
        let labels = plan.axes.map { axis in (0..<axis.cardinality).map { axis.label($0, siteCodes: sites.codes) } }
        let rows = groups.map { entry in
            ReportRow(keys: plan.axes.indices.map { i in
                labels[i][entry.group / plan.axes[i].stride % plan.axes[i].cardinality]
            }, count: entry.count)
        }
        return Report(query: query, rows: rows, total: total)
    }
}
