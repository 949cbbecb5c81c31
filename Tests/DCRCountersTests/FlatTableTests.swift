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

    @Test("group counts give the same rows dense or sparse")
    func denseAndSparseAgree() {
        var dense = GroupCounts(groups: 1_000)
        var sparse = GroupCounts(groups: GroupCounts.denseLimit + 1)
        for g in [999, 3, 3, 500, 0, 999, 3] {
            dense.add(g)
            sparse.add(g)
        }
        #expect(dense.nonZero().map(\.group) == [0, 3, 500, 999])
        #expect(sparse.nonZero().map(\.group) == dense.nonZero().map(\.group))
        #expect(sparse.nonZero().map(\.count) == [1, 3, 1, 2])
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
