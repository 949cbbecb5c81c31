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
    public func report(_ query: ReportQuery) throws(StatusError) -> Report {
        let plan = try ReportPlan(query, sites: sites, history: history)
        let (counts, total) = query.measure == .distinctClients
            ? try countDistinctClients(plan) : countEvents(plan)
        let rows = counts.nonZero().map { entry in
            ReportRow(keys: plan.axes.map { axis in
                axis.label(entry.group / axis.stride % axis.cardinality, siteCodes: sites.codes)
            }, count: entry.count)
        }
        return Report(query: query, rows: rows, total: total)
    }

    private func countEvents(_ plan: ReportPlan) -> (GroupCounts, UInt64) {
        var counts = GroupCounts(groups: plan.groups)
        var total: UInt64 = 0
        let calendarAxes = plan.axes.filter { $0.dimension.isCalendar }
        let recordSteps = plan.axes.filter { !$0.dimension.isCalendar }.map { AxisStep($0.dimension, $0.stride) }
        for (offset, dayIndex) in plan.dayRange.enumerated() {
            var dayGroup = 0
            for axis in calendarAxes { dayGroup += axis.dayValues[offset] * axis.stride }
            let records = history.buckets[dayIndex].records(plan.kind)
            if recordSteps.isEmpty && !plan.filtersSites {
                counts.add(dayGroup, UInt64(records.count))
                total += UInt64(records.count)
                continue
            }
            for r in records where plan.siteIncluded[Int(r.site)] {
                var group = dayGroup
                for step in recordSteps { group += r.value(step.dimension) * step.stride }
                counts.add(group)
                total += 1
            }
        }
        return (counts, total)
    }

    /// Two passes: the first scans intakes oldest first and keeps, per client and per group of
    /// the non-attribute keys ("cell"), the attributes of the client's latest intake (a plain
    /// overwrite, since days are scanned in order and each day's records are sorted by time);
    /// the second counts each cell once under those attributes.
    private func countDistinctClients(_ plan: ReportPlan) throws(StatusError) -> (GroupCounts, UInt64) {
        let clientCount = clients.count
        // The non-attribute axes, renumbered densely among themselves.
        var cellAxes: [(axis: ReportAxis, cellStride: Int)] = []
        var cellGroups = 1
        for axis in plan.axes.reversed() where !axis.dimension.isClientAttribute {
            cellAxes.insert((axis, cellGroups), at: 0)
            cellGroups *= axis.cardinality
        }
        let attributeAxes = plan.axes.filter { $0.dimension.isClientAttribute }
        let (cellCount, overflow) = cellGroups.multipliedReportingOverflow(by: max(clientCount, 1))
        if overflow || cellCount > 1 << 62 {
            throw StatusError(.invalidArgument, "report.group_by: too many combinations; group by fewer dimensions")
        }

        var latest = LatestAttributes(cells: cellCount)
        var seen = [UInt64](repeating: 0, count: (clientCount + 63) / 64)
        let calendarCellAxes = cellAxes.filter { $0.axis.dimension.isCalendar }
        let recordCellSteps = cellAxes.filter { !$0.axis.dimension.isCalendar }
            .map { AxisStep($0.axis.dimension, $0.cellStride) }
        for (offset, dayIndex) in plan.dayRange.enumerated() {
            var dayCell = 0
            for c in calendarCellAxes { dayCell += c.axis.dayValues[offset] * c.cellStride }
            for r in history.buckets[dayIndex].intakes
            where r.client != EventRecord.noClient && plan.siteIncluded[Int(r.site)] {
                var cell = dayCell
                for step in recordCellSteps { cell += r.value(step.dimension) * step.stride }
                let client = Int(r.client)
                latest.set(cell * clientCount + client, ClientAttributes(r).packed)
                seen[client >> 6] |= 1 << UInt64(client & 63)
            }
        }

        var counts = GroupCounts(groups: plan.groups)
        latest.forEach { index, packed in
            let cell = index / clientCount
            var group = 0
            for c in cellAxes { group += cell / c.cellStride % c.axis.cardinality * c.axis.stride }
            let attributes = ClientAttributes(packed: packed)
            for axis in attributeAxes { group += attributes.value(axis.dimension) * axis.stride }
            counts.add(group)
        }
        let total = seen.reduce(0) { $0 + UInt64($1.nonzeroBitCount) }
        return (counts, total)
    }
}

/// A dimension and its stride, without the axis's labels: the per-record loop must not retain
/// and release arrays.
private struct AxisStep {
    let dimension: Dimension
    let stride: Int
    init(_ dimension: Dimension, _ stride: Int) {
        self.dimension = dimension
        self.stride = stride
    }
}
