import Testing
@testable import DCRCounters

@Suite("The day history behind reports")
struct DayHistoryTests {
    func record(_ atMs: Int64, client: UInt32 = 0) -> EventRecord {
        EventRecord(occurredAtMs: atMs, client: client, minuteOfDay: 0, site: 0)
    }

    @Test("a day's records stay in time order whatever order they arrive in")
    func timeOrderWithinDay() throws {
        var h = DayHistory()
        for (t, c) in [(50, 1), (10, 2), (90, 3), (10, 4), (30, 5)] as [(Int64, UInt32)] {
            h.insert(record(t, client: c), kind: .intake, day: 19_000)
        }
        let intakes = try #require(h.bucket(day: 19_000)).intakes
        #expect(intakes.map(\.occurredAtMs) == [10, 10, 30, 50, 90])
        // Equal times keep arrival order, so the later arrival counts as the later event.
        #expect(intakes.map(\.client) == [2, 4, 5, 1, 3])
        #expect(h.bucket(day: 19_000)?.incidents.isEmpty == true)
    }

    @Test("days stay sorted when an older day arrives late, and ranges are inclusive")
    func daysSorted() {
        var h = DayHistory()
        for day: Int32 in [19_005, 19_007, 19_001, 19_006, 19_001] {
            h.insert(record(Int64(day)), kind: .referral, day: day)
        }
        #expect(h.days == [19_001, 19_005, 19_006, 19_007])
        #expect(h.buckets.map(\.referrals.count) == [2, 1, 1, 1])
        #expect(h.indices(from: 19_005, to: 19_006) == 1..<3)
        #expect(h.indices(from: 19_002, to: 19_004).isEmpty)
        #expect(h.indices(from: 18_000, to: 20_000) == 0..<4)
        #expect(h.indices(from: 19_007, to: 19_001).isEmpty)
        #expect(h.recordCount == 5)
    }

    @Test("a record is 27 bytes in a stride of 32: a million events take about 32 MB")
    func footprint() {
        #expect(MemoryLayout<EventRecord>.stride == 32)
    }
}
