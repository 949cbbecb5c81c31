import DCRModel
import DCRStore
import Dispatch
import Foundation
import Synchronization
import Testing

/// Rough numbers for the store alone, not part of the normal run (they take seconds and mean
/// something only in a release build):
/// `DCR_STORE_BENCH=1 swift test -c release --filter StoreBenchmark`
@Suite("Store benchmark", .enabled(if: ProcessInfo.processInfo.environment["DCR_STORE_BENCH"] != nil))
struct StoreBenchmarkTests {
    @Test("acknowledged appends per second with durable group commit", arguments: [(1, 256), (8, 32)])
    func appendThroughput(producers: Int, window: Int) throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Fixtures.openStore(dir, encode: { _ in [UInt8](repeating: 1, count: 40) })
        defer { store.close() }
        let perProducer = 200_000 / producers
        let events = (0..<producers).map { p in
            (0..<perProducer).map { i in Fixtures.intake(Int64(p * perProducer + i), client: Fixtures.pseudonym(i % 500)) }
        }
        let stored = Atomic<Int>(0)
        let clock = ContinuousClock()
        let started = clock.now
        DispatchQueue.concurrentPerform(iterations: producers) { p in
            let inFlight = DispatchSemaphore(value: window)
            for event in events[p] {
                inFlight.wait()
                store.append(event, receivedAtMs: 0) { outcome in
                    if outcome == .stored { stored.add(1, ordering: .relaxed) }
                    inFlight.signal()
                }
            }
            for _ in 0..<window { inFlight.wait() }
            // libdispatch traps when a semaphore dies below its initial value.
            for _ in 0..<window { inFlight.signal() }
        }
        let elapsed = clock.now - started
        let total = producers * perProducer
        #expect(stored.load(ordering: .relaxed) == total)
        let stats = store.statistics
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("""
            BENCH append producers=\(producers) window=\(window): \(total) events in \(elapsed), \
            \(Int(Double(total) / seconds)) events/s, commits=\(stats.commits), \
            maxBatch=\(stats.maxBatch), commit mean=\(Int(stats.meanCommitUs)) µs max=\(stats.maxCommitUs) µs
            """)
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
