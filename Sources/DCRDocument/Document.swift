/// A council document: a title, a period, and sections of tables and charts whose every number
/// comes from a `Report` of the same engine as `dcrctl report`.
public struct Document: Sendable {
    public var title: String
    public var period: (from: String, to: String)
    public var language: Language
    /// Published mode: cells below this are suppressed; nil for an internal document.
    public var publicThreshold: UInt64?
    public var sections: [Section]
    /// When the document was made (the daemon's clock, ISO 8601), for the footer.
    public var madeAt: String

    public init(title: String, period: (from: String, to: String), language: Language, publicThreshold: UInt64?,
                sections: [Section], madeAt: String) {
        self.title = title
        self.period = period
        self.language = language
        self.publicThreshold = publicThreshold
        self.sections = sections
        self.madeAt = madeAt
    }
}

public enum Section: Sendable {
    case table(TableSection)
    case chart(ChartSection)
}

/// A table: rows × columns of counts, with totals and shares as the documents print them.
public struct TableSection: Sendable {
    public var id: String
    public var title: String
    public var rowHeader: String
    public var columns: [(key: String, label: String)]
    public var rows: [(key: String, label: String, values: [UInt64])]
    /// A total per row (Table 1's "I alt"), given when it is not the sum of the row (distinct
    /// clients) or computed from the row.
    public var rowTotals: [UInt64]?
    public var columnTotals: Bool
    /// Shares of each cell in its row's total, beside the count (Table 1).
    public var rowShares: Bool
    /// An estimate factor and its base period ("× 12 of 18.12.2022–18.01.2023"), printed in its
    /// own visibly different columns, never in place of the counts.
    public var scale: Double?
    /// Each row against the row before ("+12 %"), for years against the year before.
    public var rowChange = false

    public init(id: String, title: String, rowHeader: String, columns: [(key: String, label: String)],
                rows: [(key: String, label: String, values: [UInt64])], rowTotals: [UInt64]? = nil,
                columnTotals: Bool = false, rowShares: Bool = false, scale: Double? = nil) {
        self.id = id
        self.title = title
        self.rowHeader = rowHeader
        self.columns = columns
        self.rows = rows
        self.rowTotals = rowTotals
        self.columnTotals = columnTotals
        self.rowShares = rowShares
        self.scale = scale
    }

    var hasRowTotals: Bool { rowTotals != nil }
}

/// A bar chart over one dimension (intakes per day or week, referrals by target).
public struct ChartSection: Sendable {
    public var id: String
    public var title: String
    public var bars: [(key: String, label: String, value: UInt64)]
    /// Categories read better as horizontal bars; time runs left to right.
    public var horizontal: Bool

    public init(id: String, title: String, bars: [(key: String, label: String, value: UInt64)], horizontal: Bool) {
        self.id = id
        self.title = title
        self.bars = bars
        self.horizontal = horizontal
    }
}
