import DCRModel
import DCRStore
import Dispatch
import Foundation
import Synchronization
import Testing

/// Rough numbers for the store alone, not part of the normal run (they take seconds and mean
/// something only in a release build):
/// `DCR_STORE_BENCH=1 swift test -c release --filter StoreBenchmark`
@Suite("Store benchmark", .serialized, .enabled(if: ProcessInfo.processInfo.environment["DCR_STORE_BENCH"] != nil))
struct StoreBenchmarkTests {
    @Test("acknowledged appends per second with durable group commit", arguments: [(1, 256, false), (8, 32, false), (1, 256, true), (8, 32, true)])
    func appendThroughput(producers: Int, window: Int, timeOrderedIDs: Bool) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Fixtures.openStore(dir)
        defer { store.close() }
        let perProducer = 200_000 / producers
        let events = (0..<producers).map { p in
            (0..<perProducer).map { i in
                let n = p * perProducer + i
                return Fixtures.intake(Int64(n), client: Fixtures.pseudonym(i % 500),
                                       id: timeOrderedIDs ? Self.uuidV7(ms: Fixtures.baseMs + Int64(n)) : .random())
            }
        }
        let stored = Atomic<Int>(0)
        let clock = ContinuousClock()
        let started = clock.now
        // One thread per producer, like connections on their own event loops
        // (concurrentPerform would run only as many at once as there are cores).
        let done = DispatchGroup()
        for p in 0..<producers {
            done.enter()
            let batch = events[p]
            let thread = Thread {
                let inFlight = DispatchSemaphore(value: window)
                for event in batch {
                    inFlight.wait()
                    store.append(event, receivedAtMs: 0) { outcome in
                        if outcome == .stored { stored.add(1, ordering: .relaxed) }
                        inFlight.signal()
                    }
                }
                for _ in 0..<window { inFlight.wait() }
                // libdispatch traps when a semaphore dies below its initial value.
                for _ in 0..<window { inFlight.signal() }
                done.leave()
            }
            thread.start()
        }
        done.wait()
        let elapsed = clock.now - started
        let total = producers * perProducer
        #expect(stored.load(ordering: .relaxed) == total)
        let stats = store.statistics
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("""
            BENCH append producers=\(producers) window=\(window) ids=\(timeOrderedIDs ? "v7" : "v4"): \(total) events in \(elapsed), \
            \(Int(Double(total) / seconds)) events/s, commits=\(stats.commits), \
            maxBatch=\(stats.maxBatch), commit mean=\(Int(stats.meanCommitUs)) µs max=\(stats.maxCommitUs) µs
            """)
    }

    /// A time-ordered id (UUID version 7, RFC 9562): ms timestamp first, then random bits.
    static func uuidV7(ms: Int64) -> EventID {
        var g = SystemRandomNumberGenerator()
        let high = UInt64(ms) << 16 | 0x7000 | (g.next() & 0x0FFF)
        let low = (g.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return EventID(high: high, low: low)
    }

    @Test("replay of 1,000,000 stored events")
    func replayMillion() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let n = 1_000_000
        do {
            let store = try Fixtures.openStore(dir, settings: StoreSettings(maxBatch: 8192))
            defer { store.close() }
            let inFlight = DispatchSemaphore(value: 16_384)
            for i in 0..<n {
                inFlight.wait()
                let event: Event = i % 10 == 0
                    ? .boothRelease(BoothRelease(header: Fixtures.header(Int64(n - i) * 1000, booth: 2)))
                    : Fixtures.intake(Int64(n - i) * 1000, client: Fixtures.pseudonym(i % 3000))
                store.append(event, receivedAtMs: 0) { _ in inFlight.signal() }
            }
            for _ in 0..<16_384 { inFlight.wait() }
            for _ in 0..<16_384 { inFlight.signal() }
        }
        let opening = ContinuousClock().now
        let store = try Fixtures.openStore(dir)
        defer { store.close() }
        print("BENCH open with \(n) events (counts by kind): \(ContinuousClock().now - opening)")
        var intakes = 0
        let summary = try store.replay { if case .intake = $0 { intakes += 1 } }
        #expect(summary.count == n)
        print("BENCH replay: \(summary.count) events (\(intakes) intakes) in \(summary.duration)")
    }
}
