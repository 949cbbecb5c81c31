import DCRModel

/// What became of an event handed to the log.
public enum LogOutcome: Sendable, Hashable {
    /// Durably stored (committed); it may now be counted and acknowledged.
    case stored
    /// An event with this id is already stored; count nothing, acknowledge as duplicate.
    case duplicate
    /// Not stored (disk full, read-only, shutting down); the terminal retries later.
    case unavailable(String)
}

/// Commit statistics for `Status`.
public struct CommitStatistics: Sendable, Hashable {
    public var commits: UInt64 = 0
    public var lastMicroseconds: UInt64 = 0
    public var maxMicroseconds: UInt64 = 0
    public var meanMicroseconds: Double = 0
    public init() {}
}

/// Where acknowledged events live. The daemon acknowledges only what the log says is stored.
public protocol EventLog: Sendable {
    /// Calls `completion` exactly once, from any thread, after the outcome is certain.
    func append(_ event: Event, receivedAtMs: Int64, completion: @escaping @Sendable (LogOutcome) -> Void)
    /// Every stored event, oldest first by occurrence, to rebuild the counters on start.
    func replay(_ body: (Event) throws -> Void) throws -> Int
    var storedByKind: [EventKind: UInt64] { get }
    var commitStatistics: CommitStatistics { get }
    /// Commits what is queued, refuses what comes after, closes.
    func close()
}
