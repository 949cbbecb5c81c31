import DCRModel

/// A checked report query, resolved against what the counters hold: which kind of record to
/// scan, which days, which sites, and the axes of the count table.
///
/// All refusals happen here, before any scanning, with messages that name the field and the
/// rule, because the reader is an administrator at `dcrctl`, not a programmer.
struct ReportPlan: Sendable {
    let kind: EventKind
    let axes: [ReportAxis]
    /// The number of groups: the product of the axes' cardinalities.
    let groups: Int
    /// Per site index: is the site in the filter.
    let siteIncluded: [Bool]
    let filtersSites: Bool
    /// Indices into the history's days.
    let dayRange: Range<Int>

    init(_ query: ReportQuery, sites: SiteDirectory, history: DayHistory) throws(StatusError) {
        guard let kind = query.measure.recordKind else {
            throw StatusError(.invalidArgument,
                              "report.measure: required, one of \(Measure.reportable.map(\.label).joined(separator: ", "))")
        }
        self.kind = kind
        if query.from > query.to {
            throw StatusError(.invalidArgument,
                              "report.from: \(query.from) is after report.to (\(query.to)); the range is inclusive, from <= to")
        }
        if let scale = query.scale, !(scale.isFinite && scale > 0) {
            throw StatusError(.invalidArgument, "report.scale: \(scale) is not a positive factor")
        }
        var seen = Set<Dimension>()
        for d in query.groupBy {
            if d == .unspecified {
                throw StatusError(.invalidArgument, "report.group_by: unknown dimension")
            }
            if !d.applies(to: query.measure) {
                throw StatusError(.invalidArgument,
                                  "report.group_by: \(d.reportName) does not apply to \(query.measure.reportName)")
            }
            if !seen.insert(d).inserted {
                throw StatusError(.invalidArgument, "report.group_by: \(d.reportName) is given twice")
            }
        }

        var included = Array(repeating: query.sites.isEmpty, count: sites.codes.count)
        for code in query.sites {
            guard let i = sites.index(of: code) else {
                throw StatusError(.notFound,
                                  "report.sites: \"\(EventRules.printable(code))\" is not a known site (\(sites.codes.joined(separator: ", ")))")
            }
            included[i] = true
        }
        siteIncluded = included
        filtersSites = !query.sites.isEmpty

        let from = Int32(clamping: query.from.dayNumber), to = Int32(clamping: query.to.dayNumber)
        dayRange = history.indices(from: from, to: to)
        let days = history.days[dayRange]

        var axes = query.groupBy.map { d in
            d.isCalendar ? ReportAxis(calendar: d, days: days)
                         : ReportAxis(record: d, siteCount: sites.codes.count)
        }
        var groups = 1
        for i in axes.indices.reversed() {
            axes[i].stride = groups
            let (product, overflow) = groups.multipliedReportingOverflow(by: axes[i].cardinality)
            if overflow || product > 1 << 48 {
                throw StatusError(.invalidArgument,
                                  "report.group_by: too many combinations; group by fewer dimensions")
            }
            groups = product
        }
        self.axes = axes
        self.groups = groups
    }
}
