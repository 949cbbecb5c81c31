import DCRModel
import DCRStore
import Synchronization

/// An event log that forgets on exit: for tests of everything above the store.
public final class MemoryEventLog: EventLog {
    private struct State {
        var ids: Set<EventID> = []
        var events: [Event] = []
        var byKind: [EventKind: UInt64] = [:]
        var closed = false
    }
    private let state = Mutex(State())

    public init() {}

    public func append(_ event: Event, receivedAtMs: Int64, completion: @escaping @Sendable (AppendOutcome) -> Void) {
        let outcome: AppendOutcome = state.withLock { s in
            if s.closed { return .unavailable("shutting down") }
            guard s.ids.insert(event.id).inserted else { return .duplicate }
            s.events.append(event)
            s.byKind[event.kind, default: 0] += 1
            return .stored
        }
        completion(outcome)
    }

    public func replay(_ body: (Event) throws -> Void) throws -> ReplaySummary {
        let start = ContinuousClock.now
        let events = state.withLock { $0.events }
        for e in events.sorted(by: { $0.header.occurredAtMs < $1.header.occurredAtMs }) { try body(e) }
        return ReplaySummary(count: events.count, duration: ContinuousClock.now - start)
    }

    public var storedByKind: [EventKind: UInt64] { state.withLock { $0.byKind } }
    public var commitStatistics: CommitStatistics { CommitStatistics() }
    public func close() { state.withLock { $0.closed = true } }
}
