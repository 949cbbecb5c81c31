/// A question the administration asks: count `measure` over the local dates `from…to`
/// (inclusive), grouped by `groupBy`, for `sites` (empty: every site).
public struct ReportQuery: Sendable, Hashable {
    public var measure: Measure
    public var from: LocalDate
    public var to: LocalDate
    public var groupBy: [Dimension]
    public var sites: [String]
    /// An explicit estimate factor ("one month × 12"); nil when the report is a plain count.
    public var scale: Double?

    public init(measure: Measure, from: LocalDate, to: LocalDate, groupBy: [Dimension] = [],
                sites: [String] = [], scale: Double? = nil) {
        self.measure = measure
        self.from = from
        self.to = to
        self.groupBy = groupBy
        self.sites = sites
        self.scale = scale
    }
}

/// One row of a report: a label per grouping dimension and the count.
public struct ReportRow: Sendable, Hashable {
    public var keys: [String]
    public var count: UInt64
    public init(keys: [String], count: UInt64) {
        self.keys = keys
        self.count = count
    }
}

/// The answer to a `ReportQuery`: rows sorted by keys, and the total (for distinct clients the
/// number of distinct clients in the whole period, which is not the sum of the rows).
public struct Report: Sendable, Hashable {
    public var query: ReportQuery
    public var rows: [ReportRow]
    public var total: UInt64
    /// Part of the period is kept only as aggregates (retention), and for this grouping some
    /// numbers could not be exact (distinct clients summed over periods or partly covered ones).
    public var approximate: Bool

    public init(query: ReportQuery, rows: [ReportRow], total: UInt64, approximate: Bool = false) {
        self.query = query
        self.rows = rows
        self.total = total
        self.approximate = approximate
    }
}
