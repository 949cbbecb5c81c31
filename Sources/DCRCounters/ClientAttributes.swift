import DCRModel

/// A client's gender, age band and municipality as of one intake, packed into 15 bits so that a
/// distinct-clients report can keep one per client and group in a flat `UInt16` array.
struct ClientAttributes: Sendable, Equatable {
    var gender: Int
    var ageBand: Int
    var municipality: Int

    init(_ r: EventRecord) {
        gender = Int(r.gender)
        ageBand = Int(r.ageBand)
        municipality = Int(r.municipality)
    }

    /// Never 0, which marks "no intake" in `LatestAttributes`.
    var packed: UInt16 {
        UInt16(1 + gender + Gender.codeCount * (ageBand + AgeBand.codeCount * municipality))
    }

    init(packed: UInt16) {
        var v = Int(packed) - 1
        gender = v % Gender.codeCount
        v /= Gender.codeCount
        ageBand = v % AgeBand.codeCount
        municipality = v / AgeBand.codeCount
    }

    func value(_ dimension: Dimension) -> Int {
        switch dimension {
        case .gender: gender
        case .ageBand: ageBand
        case .municipality: municipality
        default: 0
        }
    }
}

/// Per (group, client) cell, the packed attributes of the client's latest intake: a flat array
/// when the cells fit in 16 MB (years or months × 45,000 clients), a hash map of the cells that
/// occur otherwise (dates × sites × substances × clients).
struct LatestAttributes {
    static let denseLimit = 1 << 23

    private var dense: [UInt16]
    private var sparse: FlatTable?

    init(cells: Int) {
        if cells <= Self.denseLimit {
            dense = Array(repeating: 0, count: cells)
            sparse = nil
        } else {
            dense = []
            sparse = FlatTable(expected: 1 << 16)
        }
    }

    mutating func set(_ cell: Int, _ packed: UInt16) {
        if sparse == nil {
            dense[cell] = packed
        } else {
            sparse!.set(UInt64(cell), UInt64(packed))
        }
    }

    func forEach(_ body: (Int, UInt16) -> Void) {
        if let sparse {
            sparse.forEach { cell, packed in body(Int(cell), UInt16(packed)) }
        } else {
            for (cell, packed) in dense.enumerated() where packed != 0 { body(cell, packed) }
        }
    }
}
