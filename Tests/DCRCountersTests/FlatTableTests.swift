import Testing
@testable import DCRCounters

@Suite("The flat hash table behind large reports")
struct FlatTableTests {
    @Test("adds, sets and finds keys across many growths")
    func growth() {
        var t = FlatTable()
        for k in 0..<50_000 { t.add(UInt64(k) * 7_919, UInt64(k % 3)) }
        for k in 0..<50_000 where k % 2 == 0 { t.add(UInt64(k) * 7_919) }
        #expect(t.count == 50_000)
        #expect(t.value(7_919 * 4) == 1 + 1)
        #expect(t.value(7_919 * 5) == 2)
        #expect(t.value(1) == nil)
        t.set(7_919 * 5, 42)
        #expect(t.value(7_919 * 5) == 42)
        var sum: UInt64 = 0, n = 0
        t.forEach { _, v in sum += v; n += 1 }
        #expect(n == 50_000)
    }

    @Test("cell tables hand out the same cells dense or sparse, and are empty after a drain")
    func denseAndSparseAgree() {
        var dense = CellTable<UInt64>(cells: 1_000, denseLimit: 1_000)
        var sparse = CellTable<UInt64>(cells: 1_001, denseLimit: 1_000)
        #expect(dense.isDense && !sparse.isDense)
        for cell in [999, 3, 3, 500, 0, 999, 3] {
            dense.add(cell)
            sparse.add(cell)
        }
        dense.set(7, 42)
        sparse.set(7, 42)
        func drained(_ t: inout CellTable<UInt64>) -> [Int: UInt64] {
            var out: [Int: UInt64] = [:]
            t.drain { cell, n in out[cell, default: 0] += n }
            return out
        }
        let expected: [Int: UInt64] = [0: 1, 3: 3, 7: 42, 500: 1, 999: 2]
        #expect(drained(&dense) == expected)
        #expect(drained(&sparse) == expected)
        #expect(drained(&dense).isEmpty && drained(&sparse).isEmpty)
        dense.add(3)
        #expect(drained(&dense) == [3: 1])
    }

    @Test("client attributes pack into 15 bits and back")
    func attributesRoundTrip() {
        var r = EventRecord(occurredAtMs: 0, client: 0, minuteOfDay: 0, site: 0)
        for (g, a, m) in [(0, 0, 0), (3, 6, 999), (2, 4, 101)] {
            r.gender = UInt8(g); r.ageBand = UInt8(a); r.municipality = UInt16(m)
            let packed = ClientAttributes(r).packed
            #expect(packed != 0 && packed < 1 << 15)
            #expect(ClientAttributes(packed: packed) == ClientAttributes(r))
        }
    }
}
