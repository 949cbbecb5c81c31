/// Values per cell of a table that is filled, read out and emptied again for each partition of
/// a report (each year, week or date), so that only one partition's cells are ever held.
///
/// Dense with a list of the cells touched, so draining costs what occurred, not the table's size;
/// or, for a table too large to allocate (no calendar key and many others), a hash map.
struct CellTable<Value: FixedWidthInteger & UnsignedInteger & Sendable>: Sendable {
    private var dense: [Value]
    private var touched: [Int] = []
    private var sparse: FlatTable?

    init(cells: Int, denseLimit: Int) {
        if cells <= denseLimit {
            dense = Array(repeating: 0, count: max(cells, 1))
            sparse = nil
        } else {
            dense = []
            sparse = FlatTable(expected: 1 << 12)
        }
    }

    var isDense: Bool { sparse == nil }

    @inline(__always)
    mutating func add(_ cell: Int, _ n: Value = 1) {
        if sparse == nil {
            if dense[cell] == 0 { touched.append(cell) }
            dense[cell] &+= n
        } else {
            sparse!.add(UInt64(cell), UInt64(n))
        }
    }

    /// Sets a cell; `value` must not be 0 (0 means empty).
    @inline(__always)
    mutating func set(_ cell: Int, _ value: Value) {
        if sparse == nil {
            if dense[cell] == 0 { touched.append(cell) }
            dense[cell] = value
        } else {
            sparse!.set(UInt64(cell), UInt64(value))
        }
    }

    /// Hands out every non-empty cell (in no particular order) and empties the table.
    mutating func drain(_ body: (Int, Value) -> Void) {
        if sparse == nil {
            for cell in touched {
                body(cell, dense[cell])
                dense[cell] = 0
            }
            touched.removeAll(keepingCapacity: true)
        } else {
            sparse!.forEach { cell, value in body(Int(cell), Value(truncatingIfNeeded: value)) }
            sparse = FlatTable(expected: 1 << 12)
        }
    }
}
