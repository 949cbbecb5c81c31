import Testing
@testable import DCRCounters

@Suite("A day's records in chunks")
struct RecordListTests {
    func record(_ atMs: Int64, client: UInt32) -> EventRecord {
        EventRecord(occurredAtMs: atMs, client: client, minuteOfDay: 0, site: 0)
    }

    /// What the list must equal: a stable sort by time of everything inserted, in arrival order.
    func reference(_ records: [EventRecord]) -> [EventRecord] {
        records.enumerated().sorted { a, b in
            a.element.occurredAtMs != b.element.occurredAtMs ? a.element.occurredAtMs < b.element.occurredAtMs : a.offset < b.offset
        }.map(\.element)
    }

    @Test("in-order arrivals fill chunks of at most the limit, and read back in order")
    func inOrder() {
        var list = RecordList()
        let records = (0..<(RecordList.chunkLimit * 3 + 7)).map { record(Int64($0), client: UInt32($0)) }
        for r in records { list.insert(r) }
        #expect(Array(list) == records)
        #expect(list.count == records.count)
        #expect(list.chunks.count == 4)
        #expect(list.chunks.allSatisfy { $0.count <= RecordList.chunkLimit })
    }

    @Test("late arrivals land in time order, equal times after the earlier arrivals, across chunk splits")
    func lateArrivals() {
        var list = RecordList()
        var inserted: [EventRecord] = []
        // A deterministic shuffle of times with many repeats, enough to split chunks.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for i in 0..<(RecordList.chunkLimit * 6) {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            let r = record(Int64(state >> 54), client: UInt32(i))
            list.insert(r)
            inserted.append(r)
        }
        #expect(Array(list) == reference(inserted))
        #expect(list.count == inserted.count)
        #expect(list.chunks.allSatisfy { !$0.isEmpty && $0.count < 2 * RecordList.chunkLimit })
        #expect(Array(list).last == reference(inserted).last)
    }

    @Test("remove takes out the first equal record, drops an emptied chunk, and reports a miss")
    func remove() {
        var list = RecordList()
        let records = (0..<(RecordList.chunkLimit + 1)).map { record(Int64($0), client: 7) }
        for r in records { list.insert(r) }
        let tail = list.remove(records[RecordList.chunkLimit])
        #expect(tail)
        #expect(list.chunks.count == 1, "the second chunk held only that record")
        let third = list.remove(records[3]), again = list.remove(records[3])
        #expect(third)
        #expect(!again, "already gone")
        #expect(list.count == records.count - 2)
        #expect(Array(list) == records.enumerated().filter { $0.offset != 3 && $0.offset != RecordList.chunkLimit }.map(\.element))
    }

    @Test("a copy taken before an insert (a report's snapshot) does not see it")
    func copyIsolated() {
        var list = RecordList()
        for i in 0..<10 { list.insert(record(Int64(i), client: 1)) }
        let snapshot = list
        list.insert(record(20, client: 2))
        list.insert(record(5, client: 3))
        #expect(snapshot.count == 10)
        #expect(Array(snapshot).map(\.client) == Array(repeating: 1, count: 10))
        #expect(list.count == 12)
    }
}
