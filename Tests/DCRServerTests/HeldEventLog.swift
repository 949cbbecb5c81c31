@testable import DCRServer
import DCRModel
import DCRStore
import Synchronization

/// A `MemoryEventLog` whose commits wait until the test releases them, so that a test can hold
/// an acknowledgement back and see what the connection does meanwhile. Can also refuse an event
/// the way the store refuses one that breaks a constraint.
final class HeldEventLog: EventLog {
    let stored = MemoryEventLog()
    private struct Held {
        var holding = false
        var waiting: [(Event, Int64, LocalTime, @Sendable (AppendOutcome) -> Void)] = []
        var refuseSites: Set<String> = []
    }
    private let held = Mutex(Held())

    func hold() { held.withLock { $0.holding = true } }

    /// Commits everything held, in arrival order, and stops holding.
    func release() {
        let waiting = held.withLock { h in
            h.holding = false
            defer { h.waiting = [] }
            return h.waiting
        }
        for (event, at, local, completion) in waiting { commit(event, at, local, completion) }
    }

    var waitingCount: Int { held.withLock { $0.waiting.count } }

    /// Events at this site are refused as a broken constraint would be.
    func refuse(site: String) { held.withLock { _ = $0.refuseSites.insert(site) } }

    func append(_ event: Event, receivedAtMs: Int64, local: LocalTime, completion: @escaping @Sendable (AppendOutcome) -> Void) {
        let holding = held.withLock { h in
            if h.holding { h.waiting.append((event, receivedAtMs, local, completion)) }
            return h.holding
        }
        if !holding { commit(event, receivedAtMs, local, completion) }
    }

    private func commit(_ event: Event, _ at: Int64, _ local: LocalTime, _ completion: @escaping @Sendable (AppendOutcome) -> Void) {
        if held.withLock({ $0.refuseSites.contains(event.header.site) }) {
            completion(.refused("CHECK constraint failed: site"))
            return
        }
        stored.append(event, receivedAtMs: at, local: local, completion: completion)
    }

    func replay(_ body: (Event) throws -> Void, superseded: (Event) throws -> Void) throws -> ReplaySummary {
        try stored.replay(body, superseded: superseded)
    }
    func history(of id: EventID) throws -> StoredHistory? { try stored.history(of: id) }
    var storedByKind: [EventKind: UInt64] { stored.storedByKind }
    var commitStatistics: CommitStatistics { stored.commitStatistics }
    func close() { stored.close() }
}
