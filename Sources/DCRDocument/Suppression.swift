/// Small-cell suppression for published tables, with complementary suppression.
///
/// A cell below the threshold (1…threshold−1; a zero is no person and stays) is suppressed and
/// shown as "<threshold". That alone does not protect it when the table also publishes totals:
/// a row with one hidden cell gives it away by subtraction. So further cells (preferably ones at
/// or above the threshold, so that the hidden sum is not small either) and, when a line has no
/// such cell left, the line's total are suppressed until no hidden value is determined by the
/// published numbers: for every hidden value there are two different tables that agree with
/// everything published (linear algebra over the row, column and grand totals; checked with
/// Gaussian elimination, tables here are small).
public struct SuppressedTable: Sendable, Equatable {
    public enum Cell: Sendable, Equatable {
        case shown(UInt64)
        /// Below the threshold.
        case small
        /// Hidden to protect another cell.
        case complementary
        public var isHidden: Bool { if case .shown = self { false } else { true } }
    }

    /// Interior cells, rows × columns.
    public var cells: [[Cell]]
    /// One per row when the table publishes row totals.
    public var rowTotals: [Cell]?
    public var columnTotals: [Cell]?
    public var grandTotal: Cell

    /// Suppresses `values` (rows × columns) for publication. Totals are published as the table
    /// shows them (`columns` gives the width of a table without rows): `rowTotals` adds a total per row, `columnTotals` one per column; the grand
    /// total is always published unless it must be hidden itself.
    public init(values: [[UInt64]], columns: Int? = nil, threshold: UInt64, rowTotals: Bool, columnTotals: Bool) {
        let grid = SuppressionGrid(values: values, columns: columns, rowTotals: rowTotals, columnTotals: columnTotals)
        var hidden = Set<Int>()
        var small = Set<Int>()
        for i in grid.interior where grid.value[i] > 0 && grid.value[i] < threshold {
            hidden.insert(i)
            small.insert(i)
        }
        // The grand total is hidden only if it is itself small.
        if let g = grid.grand, grid.value[g] > 0 && grid.value[g] < threshold { hidden.insert(g); small.insert(g) }
        for i in grid.totals where grid.value[i] > 0 && grid.value[i] < threshold { hidden.insert(i); small.insert(i) }
        while let exposed = grid.determined(hidden).first {
            guard let partner = grid.partner(for: exposed, hidden: hidden, threshold: threshold) else { break }
            hidden.insert(partner)
        }
        func cell(_ i: Int) -> Cell {
            small.contains(i) ? .small : hidden.contains(i) ? .complementary : .shown(grid.value[i])
        }
        cells = (0..<grid.rows).map { r in (0..<grid.columns).map { c in cell(grid.index(r, c)) } }
        self.rowTotals = rowTotals ? (0..<grid.rows).map { cell(grid.rowTotal(of: $0)!) } : nil
        self.columnTotals = columnTotals ? (0..<grid.columns).map { cell(grid.columnTotal(of: $0)!) } : nil
        let sum = values.joined().reduce(0, +)
        grandTotal = grid.grand.map(cell) ?? (sum > 0 && sum < threshold ? .small : .shown(sum))
        self.hiddenIndices = hidden
        self.grid = grid
    }

    let hiddenIndices: Set<Int>
    let grid: SuppressionGrid

    /// Hidden values that the published numbers still determine; empty for every table this
    /// type makes (the property its tests check on random tables).
    public var determinedHiddenCells: Int { grid.determined(hiddenIndices).count }
    public var anySuppressed: Bool { !hiddenIndices.isEmpty }
}

/// The table as one vector of values (interior, then row totals, column totals, grand total)
/// and the equations its totals state.
struct SuppressionGrid: Sendable, Equatable {
    let rows: Int
    let columns: Int
    var value: [UInt64] = []
    /// Each equation: indices whose values sum to zero with the signs given.
    var equations: [[(index: Int, sign: Int)]] = []
    private var rowTotalBase: Int?
    private var columnTotalBase: Int?
    private(set) var grand: Int?

    static func == (a: SuppressionGrid, b: SuppressionGrid) -> Bool { a.value == b.value && a.rows == b.rows }

    init(values: [[UInt64]], columns width: Int? = nil, rowTotals: Bool, columnTotals: Bool) {
        rows = values.count
        columns = width ?? values.first?.count ?? 0
        value = values.flatMap { $0 }
        if rowTotals {
            rowTotalBase = value.count
            value += values.map { $0.reduce(0, +) }
        }
        if columnTotals {
            columnTotalBase = value.count
            value += (0..<columns).map { c in values.reduce(0) { $0 + $1[c] } }
        }
        if rowTotals || columnTotals {
            grand = value.count
            value.append(values.joined().reduce(0, +))
        }
        if let base = rowTotalBase {
            for r in 0..<rows { equations.append((0..<columns).map { (r * columns + $0, 1) } + [(base + r, -1)]) }
            equations.append((0..<rows).map { (base + $0, 1) } + [(grand!, -1)])
        }
        if let base = columnTotalBase {
            for c in 0..<columns { equations.append((0..<rows).map { ($0 * columns + c, 1) } + [(base + c, -1)]) }
            equations.append((0..<columns).map { (base + $0, 1) } + [(grand!, -1)])
        }
    }

    var interior: Range<Int> { 0..<(rows * columns) }
    var totals: [Int] {
        var t: [Int] = []
        if let b = rowTotalBase { t += (b..<b + rows) }
        if let b = columnTotalBase { t += (b..<b + columns) }
        return t
    }
    func index(_ r: Int, _ c: Int) -> Int { r * columns + c }
    func rowTotal(of r: Int) -> Int? { rowTotalBase.map { $0 + r } }
    func columnTotal(of c: Int) -> Int? { columnTotalBase.map { $0 + c } }

    /// Hidden indices whose value the published ones determine: those whose unit vector lies in
    /// the row space of the equations restricted to the hidden unknowns.
    func determined(_ hidden: Set<Int>) -> [Int] {
        let unknowns = hidden.sorted()
        guard !unknowns.isEmpty else { return [] }
        let column = Dictionary(uniqueKeysWithValues: unknowns.enumerated().map { ($1, $0) })
        var matrix: [[Double]] = equations.compactMap { eq in
            var row = [Double](repeating: 0, count: unknowns.count)
            var any = false
            for term in eq { if let c = column[term.index] { row[c] += Double(term.sign); any = true } }
            return any ? row : nil
        }
        let rank = Self.rank(&matrix)
        return unknowns.enumerated().filter { (k, _) in
            var extended = matrix
            var unit = [Double](repeating: 0, count: unknowns.count)
            unit[k] = 1
            extended.append(unit)
            return Self.rank(&extended) == rank
        }.map { $0.element }
    }

    /// The cell to hide next to protect `exposed`: in a line (row, column, or the totals' line)
    /// that `exposed` is in, the smallest shown non-zero interior cell at or above the threshold,
    /// else the smallest shown non-zero one, else that line's shown total.
    func partner(for exposed: Int, hidden: Set<Int>, threshold: UInt64) -> Int? {
        let lines = equations.filter { $0.contains { $0.index == exposed } }
        let candidates = lines.flatMap { $0.map(\.index) }.filter { !hidden.contains($0) && value[$0] > 0 }
        let inner = candidates.filter { interior.contains($0) || totals.contains($0) && !interior.contains(exposed) }
        let byValue = { (a: Int, b: Int) in value[a] != value[b] ? value[a] < value[b] : a < b }
        if let big = inner.filter({ value[$0] >= threshold }).min(by: byValue) { return big }
        if let any = inner.min(by: byValue) { return any }
        if let line = candidates.min(by: byValue) { return line }
        // Determined through a longer chain (its own lines are all hidden or zero): any shown
        // non-zero value, the smallest interior one at or above the threshold first.
        let rest = value.indices.filter { !hidden.contains($0) && value[$0] > 0 }
        return rest.filter { interior.contains($0) && value[$0] >= threshold }.min(by: byValue) ?? rest.min(by: byValue)
    }

    static func rank(_ m: inout [[Double]]) -> Int {
        guard let width = m.first?.count else { return 0 }
        var rank = 0
        for col in 0..<width where rank < m.count {
            guard let pivot = (rank..<m.count).max(by: { abs(m[$0][col]) < abs(m[$1][col]) }), abs(m[pivot][col]) > 1e-9 else { continue }
            m.swapAt(rank, pivot)
            for r in 0..<m.count where r != rank && abs(m[r][col]) > 1e-12 {
                let f = m[r][col] / m[rank][col]
                for c in col..<width { m[r][c] -= f * m[rank][c] }
            }
            rank += 1
        }
        return rank
    }
}
