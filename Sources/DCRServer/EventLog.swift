import DCRModel
import DCRStore

/// Commit statistics for `Status`.
public struct CommitStatistics: Sendable, Hashable {
    public var commits: UInt64 = 0
    public var lastMicroseconds: UInt64 = 0
    public var maxMicroseconds: UInt64 = 0
    public var meanMicroseconds: Double = 0
    public init() {}
}

/// Where acknowledged events live. The daemon acknowledges only what the log says is stored.
/// `EventStore` is the real one; `MemoryEventLog` serves tests of everything above it.
public protocol EventLog: Sendable {
    /// Calls `completion` exactly once, from any thread, after the outcome is certain. `local`
    /// is the event's `occurred_at_ms` in the daemon's time zone: worked out once per event, by
    /// the caller, which needs it too.
    func append(_ event: Event, receivedAtMs: Int64, local: LocalTime,
                completion: @escaping @Sendable (AppendOutcome) -> Void)
    /// Every stored event that counts, in its corrected state, oldest first by occurrence, to
    /// rebuild the counters on start; events a correction withdrew or replaced also go to
    /// `superseded`, as stored.
    func replay(_ body: (Event) throws -> Void, superseded: (Event) throws -> Void) throws -> ReplaySummary
    /// An event and its corrections; nil when no event has the id.
    func history(of id: EventID) throws -> StoredHistory?
    var storedByKind: [EventKind: UInt64] { get }
    var commitStatistics: CommitStatistics { get }
    /// Commits what is queued, refuses what comes after, closes.
    func close()
}

extension EventStore: EventLog {
    public var storedByKind: [EventKind: UInt64] { statistics.storedByKind }
    public var commitStatistics: CommitStatistics {
        let s = statistics
        var c = CommitStatistics()
        c.commits = s.commits
        c.lastMicroseconds = s.lastCommitUs
        c.maxMicroseconds = s.maxCommitUs
        c.meanMicroseconds = s.meanCommitUs
        return c
    }
}
