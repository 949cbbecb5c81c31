/// A report's count per group, where a group is one index of the report's mixed-radix table.
///
/// Small tables (the usual: years × genders, weeks × sites, kinds × victim genders) are a plain
/// array, the fastest thing to add into; a table too large to allocate for one query (dates ×
/// municipalities) is a hash map holding only the groups that occur.
struct GroupCounts: Sendable {
    static let denseLimit = 1 << 19

    private var dense: [UInt64]
    private var sparse: FlatTable?

    init(groups: Int) {
        if groups <= Self.denseLimit {
            dense = Array(repeating: 0, count: max(groups, 1))
            sparse = nil
        } else {
            dense = []
            sparse = FlatTable(expected: 1 << 12)
        }
    }

    mutating func add(_ group: Int, _ n: UInt64 = 1) {
        if sparse == nil {
            dense[group] &+= n
        } else {
            sparse!.add(UInt64(group), n)
        }
    }

    /// The groups with a count, in index order (which is the rows' sort order).
    func nonZero() -> [(group: Int, count: UInt64)] {
        if let sparse {
            var out: [(group: Int, count: UInt64)] = []
            out.reserveCapacity(sparse.count)
            sparse.forEach { k, v in if v > 0 { out.append((Int(k), v)) } }
            out.sort { $0.group < $1.group }
            return out
        }
        var out: [(group: Int, count: UInt64)] = []
        for (g, n) in dense.enumerated() where n > 0 { out.append((g, n)) }
        return out
    }
}
