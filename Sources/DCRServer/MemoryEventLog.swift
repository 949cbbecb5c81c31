import DCRModel
import DCRStore
import Synchronization

/// An event log that forgets on exit: for tests of everything above the store.
public final class MemoryEventLog: EventLog {
    private struct State {
        var ids: Set<EventID> = []
        var events: [StoredEvent] = []
        var byKind: [EventKind: UInt64] = [:]
        var closed = false
    }
    private let state = Mutex(State())

    public init() {}

    public func append(_ event: Event, receivedAtMs: Int64, local: LocalTime,
                       completion: @escaping @Sendable (AppendOutcome) -> Void) {
        let outcome: AppendOutcome = state.withLock { s in
            if s.closed { return .unavailable("shutting down") }
            guard s.ids.insert(event.id).inserted else { return .duplicate }
            s.events.append(StoredEvent(event: event, receivedAtMs: receivedAtMs))
            s.byKind[event.kind, default: 0] += 1
            return .stored
        }
        completion(outcome)
    }

    /// Every stored event as it arrived, corrections included and nothing folded: what a check
    /// of "stored exactly what was acknowledged" compares against (the session fuzz target).
    public var storedAsAppended: [Event] { state.withLock { $0.events.map(\.event) } }

    /// Folds corrections first, then counts in time order, as `EventStore.replay` does.
    public func replay(_ body: (Event) throws -> Void, superseded: (Event) throws -> Void) throws -> ReplaySummary {
        let start = ContinuousClock.now
        let events = state.withLock { $0.events.map(\.event) }
        var states: [EventID: CorrectionState] = [:]
        for c in events where c.kind.isCorrection {
            if let target = c.correctionTarget { states[target, default: CorrectionState()].apply(c) }
        }
        var count = 0
        for e in events.filter({ !$0.kind.isCorrection }).sorted(by: { $0.header.occurredAtMs < $1.header.occurredAtMs }) {
            if let s = states[e.id] {
                try superseded(e)
                guard let effective = s.effective(e) else { continue }
                try body(effective)
            } else {
                try body(e)
            }
            count += 1
        }
        return ReplaySummary(count: count, duration: ContinuousClock.now - start)
    }

    public func history(of id: EventID) throws -> StoredHistory? {
        state.withLock { s in
            guard let original = s.events.first(where: { $0.event.id == id }) else { return nil }
            let corrections = original.event.kind.isCorrection ? [] : s.events.filter { $0.event.correctionTarget == id }
            return StoredHistory(original: original, corrections: corrections)
        }
    }

    public var storedByKind: [EventKind: UInt64] { state.withLock { $0.byKind } }
    public var commitStatistics: CommitStatistics { CommitStatistics() }
    public func close() { state.withLock { $0.closed = true } }
}
