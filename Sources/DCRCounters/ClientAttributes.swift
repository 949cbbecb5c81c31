import DCRModel

/// A client's gender, age band and municipality as of one intake, packed into 15 bits so that a
/// distinct-clients report can keep one per client and group in a flat `UInt16` table.
struct ClientAttributes: Sendable, Equatable {
    var gender: Int
    var ageBand: Int
    var municipality: Int

    init(_ r: EventRecord) {
        gender = Int(r.gender)
        ageBand = Int(r.ageBand)
        municipality = Int(r.municipality)
    }

    private static let genders = Gender.codeCount
    private static let ageBands = AgeBand.codeCount

    /// Never 0, which marks "no intake" in `LatestAttributes`.
    var packed: UInt16 {
        UInt16(1 + gender + Self.genders * (ageBand + Self.ageBands * municipality))
    }

    init(packed: UInt16) {
        var v = Int(packed) - 1
        gender = v % Self.genders
        v /= Self.genders
        ageBand = v % Self.ageBands
        municipality = v / Self.ageBands
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
