import DCRDocument
import Testing

/// `--public`: no cell below the threshold is printed, and no hidden value can be worked out
/// from what is printed (the totals included).
@Suite("Small-cell suppression with complementary cells")
struct SuppressionTests {
    /// A small deterministic generator, so a failing table can be reproduced from its seed.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func shownValues(_ t: SuppressedTable) -> [UInt64] {
        let all = t.cells.flatMap { $0 } + (t.rowTotals ?? []) + (t.columnTotals ?? []) + [t.grandTotal]
        return all.compactMap { if case .shown(let v) = $0 { v } else { nil } }
    }

    @Test("random tables: nothing below the threshold is shown, no hidden value is determined", arguments: [5, 10] as [UInt64])
    func property(threshold: UInt64) {
        var rng = SplitMix(state: 2026 + threshold)
        var suppressedTables = 0
        for _ in 0..<400 {
            let rows = Int.random(in: 1...5, using: &rng), columns = Int.random(in: 1...4, using: &rng)
            let values = (0..<rows).map { _ in (0..<columns).map { _ -> UInt64 in
                Bool.random(using: &rng) ? UInt64.random(in: 0...threshold, using: &rng) : UInt64.random(in: 0...60, using: &rng)
            } }
            let rowTotals = columns > 1 || Bool.random(using: &rng)
            let t = SuppressedTable(values: values, threshold: threshold, rowTotals: rowTotals, columnTotals: rows > 1)
            #expect(t.determinedHiddenCells == 0, "\(values)")
            #expect(!Self.shownValues(t).contains { $0 > 0 && $0 < threshold }, "\(values)")
            if t.anySuppressed { suppressedTables += 1 }
        }
        #expect(suppressedTables > 100, "the random tables exercise suppression")
    }

    @Test("one small cell in a row with a total: a second cell is hidden, the larger one preferred")
    func complementary() {
        let t = SuppressedTable(values: [[3, 40, 12]], threshold: 5, rowTotals: true, columnTotals: false)
        #expect(t.cells[0] == [.small, .shown(40), .complementary])
        #expect(t.rowTotals == [.shown(55)])
        #expect(t.determinedHiddenCells == 0)
    }

    @Test("a cell of 3 never appears, in a cell or a total")
    func noThree() {
        let t = SuppressedTable(values: [[3, 0], [0, 9]], threshold: 5, rowTotals: true, columnTotals: true)
        #expect(!Self.shownValues(t).contains(3))
        #expect(t.determinedHiddenCells == 0)
    }

    @Test("nothing small: nothing hidden")
    func nothingSmall() {
        let t = SuppressedTable(values: [[5439, 1095]], threshold: 5, rowTotals: true, columnTotals: false)
        #expect(!t.anySuppressed)
        #expect(t.rowTotals == [.shown(6534)])
    }
}

@Suite("Shares and Danish formats")
struct FormatTests {
    @Test("2016: 5,439 men and 1,095 women of 6,534 are 83 % / 17 % / 100 %, not the seed's 82 % / 99 %")
    func table1Shares() {
        #expect(Share.percent(5439, of: 6534) == 83)
        #expect(Share.percent(1095, of: 6534) == 17)
        #expect(Share.percent(6534, of: 6534) == 100)
        #expect(Language.da.percent(83) == "83 %")
        #expect(Share.percent(1, of: 0) == nil)
    }

    @Test("shares are rounded one by one and never forced to 100")
    func notForced() {
        #expect([1, 1, 1].map { Share.percent($0, of: 3)! } == [33, 33, 33])
    }

    @Test("numbers and dates: 7.826 and 18.12.2022 in Danish, 7,826 and 2022-12-18 in English")
    func formats() {
        #expect(Language.da.count(7826) == "7.826")
        #expect(Language.da.count(1_234_567) == "1.234.567")
        #expect(Language.en.count(7826) == "7,826")
        #expect(Language.da.count(999) == "999")
        #expect(Language.da.date("2022-12-18") == "18.12.2022")
        #expect(Language.en.date("2022-12-18") == "2022-12-18")
        #expect(Language.da.decimal(1.5, places: 1) == "1,5")
        #expect(Language.en.decimal(1226.6, places: 1) == "1,226.6")
        #expect(Language.da.key("male", of: "gender") == "Mænd")
        #expect(Language.da.key("2012-W33", of: "week") == "Uge 33 2012")
        #expect(Language.da.key("2022-10", of: "month") == "oktober 2022")
    }
}
