import DCRModel

/// One report's pass over the history.
///
/// Year, month, ISO week and date only grow as the days are scanned in order, so the scan is cut
/// into partitions (one per year, week or date in the report) and holds only the current one's
/// cells, in a small dense table, read out at the partition's end. That keeps "distinct clients
/// per week and site over seven years" to a 135,000-cell table instead of 50 million cells.
struct ReportScan {
    /// Largest per-partition table of counts allocated densely (8 MB).
    static let countCells = 1 << 20
    /// Largest per-partition table of (group, client) cells allocated densely (16 MB).
    static let clientCells = 1 << 23

    let plan: ReportPlan
    let history: DayHistory
    let full: AxisNumbering

    init(plan: ReportPlan, history: DayHistory) {
        self.plan = plan
        self.history = history
        self.full = AxisNumbering(plan.axes)
    }

    /// Events per group. A table small enough is filled in one partition; a larger one is
    /// partitioned by its calendar keys.
    func countEvents(betweenDays: () -> Void = {}) -> ([(group: Int, count: UInt64)], UInt64) {
        let outer = full.size <= Self.countCells ? [] : plan.axes.filter { $0.dimension.partitionsTime }
        let local = AxisNumbering(plan.axes.filter { axis in !outer.contains { $0.dimension == axis.dimension } })
        let toFull = local.translation(into: full)
        let recordParts = local.recordParts
        var cells = CellTable<UInt64>(cells: local.size, denseLimit: Self.countCells)
        var total: UInt64 = 0
        let plan = self.plan, history = self.history
        var groups: [(group: Int, count: UInt64)] = []
        scanDays(outer: outer, betweenDays: betweenDays, day: { offset, dayIndex in
            let dayCell = local.dayIndex(offset)
            let records = history.buckets[dayIndex].records(plan.kind)
            if recordParts.isEmpty && !plan.filtersSites {
                if !records.isEmpty { cells.add(dayCell, UInt64(records.count)) }
                total += UInt64(records.count)
                return
            }
            for r in records where plan.siteIncluded[Int(r.site)] {
                cells.add(dayCell + r.index(recordParts))
                total += 1
            }
        }, flush: { base in
            let start = groups.count
            cells.drain { cell, n in groups.append((base + AxisNumbering.translate(cell, toFull), n)) }
            groups[start...].sort { $0.group < $1.group }
        })
        return (Self.sorted(groups), total)
    }

    /// Two tables per partition: (non-attribute group, client) cells holding the attributes of
    /// the client's latest intake (a plain overwrite: days are scanned in order and each day's
    /// records are sorted by time), then, at the partition's end, each cell counted once under
    /// those attributes.
    func countDistinctClients(clientCount: Int, betweenDays: () -> Void = {}) throws(StatusError) -> ([(group: Int, count: UInt64)], UInt64) {
        let clients = max(clientCount, 1)
        let keyAxes = plan.axes.filter { !$0.dimension.isClientAttribute }
        let outer = keyAxes.filter { $0.dimension.partitionsTime }
        func isOuter(_ axis: ReportAxis) -> Bool { outer.contains { $0.dimension == axis.dimension } }
        let inner = AxisNumbering(keyAxes.filter { !isOuter($0) })
        let local = AxisNumbering(plan.axes.filter { !isOuter($0) })
        let innerToLocal = inner.translation(into: local)
        let localToFull = local.translation(into: full)
        let attributeParts = local.parts.filter { $0.dimension.isClientAttribute }
        let innerRecordParts = inner.recordParts
        let (cellCount, overflow) = inner.size.multipliedReportingOverflow(by: clients)
        if overflow || cellCount > 1 << 62 {
            throw StatusError(.invalidArgument, "report.group_by: too many combinations; group by fewer dimensions")
        }

        var latest = CellTable<UInt16>(cells: cellCount, denseLimit: Self.clientCells)
        var counts = CellTable<UInt64>(cells: local.size, denseLimit: Self.countCells)
        var seen = [UInt64](repeating: 0, count: (clients + 63) / 64)
        var groups: [(group: Int, count: UInt64)] = []
        let plan = self.plan, history = self.history
        scanDays(outer: outer, betweenDays: betweenDays, day: { offset, dayIndex in
            let dayCell = inner.dayIndex(offset)
            for r in history.buckets[dayIndex].intakes
            where r.client != EventRecord.noClient && plan.siteIncluded[Int(r.site)] {
                let client = Int(r.client)
                latest.set((dayCell + r.index(innerRecordParts)) * clients + client, ClientAttributes(r).packed)
                seen[client >> 6] |= 1 << UInt64(client & 63)
            }
        }, flush: { base in
            latest.drain { cell, packed in
                let attributes = ClientAttributes(packed: packed)
                var l = AxisNumbering.translate(cell / clients, innerToLocal)
                for p in attributeParts { l += attributes.value(p.dimension) * p.stride }
                counts.add(l)
            }
            let start = groups.count
            counts.drain { l, n in groups.append((base + AxisNumbering.translate(l, localToFull), n)) }
            groups[start...].sort { $0.group < $1.group }
        })
        return (Self.sorted(groups), seen.reduce(0) { $0 + UInt64($1.nonzeroBitCount) })
    }

    /// Partitions come out sorted; when a calendar key leads `group_by` they are also in order
    /// among themselves, and the whole sort is skipped.
    private static func sorted(_ groups: [(group: Int, count: UInt64)]) -> [(group: Int, count: UInt64)] {
        var inOrder = true
        for i in groups.indices.dropFirst() where groups[i - 1].group > groups[i].group {
            inOrder = false
            break
        }
        return inOrder ? groups : groups.sorted { $0.group < $1.group }
    }

    /// Calls `day` for each day of the report in order, and `flush` with the partition's share of
    /// the group index after the last day of each run of days with the same `outer` values.
    /// `betweenDays` runs before each day: where the caller may let more urgent work go first.
    private func scanDays(outer: [ReportAxis], betweenDays: () -> Void, day: (_ offset: Int, _ dayIndex: Int) -> Void,
                          flush: (_ base: Int) -> Void) {
        var current: Int?
        for (offset, dayIndex) in plan.dayRange.enumerated() {
            betweenDays()
            var base = 0
            for axis in outer { base += axis.dayValues[offset] * axis.stride }
            if let c = current, c != base { flush(c) }
            current = base
            day(offset, dayIndex)
        }
        if let c = current { flush(c) }
    }
}
