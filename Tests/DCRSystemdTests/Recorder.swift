import Synchronization

/// What a watchdog under test did, readable while it runs.
final class Recorder: Sendable {
    private let pingTimes = Mutex<[ContinuousClock.Instant]>([])
    private let changes = Mutex<[[String]]>([])
    private let runs = Mutex<[String: Int]>([:])

    func ping() { pingTimes.withLock { $0.append(.now) } }
    func healthChanged(_ failing: [String]) { changes.withLock { $0.append(failing) } }
    func ran(_ probe: String) { runs.withLock { $0[probe, default: 0] += 1 } }

    var pings: [ContinuousClock.Instant] { pingTimes.withLock { $0 } }
    var healthChanges: [[String]] { changes.withLock { $0 } }
    func runCount(_ probe: String) -> Int { runs.withLock { $0[probe, default: 0] } }
}
