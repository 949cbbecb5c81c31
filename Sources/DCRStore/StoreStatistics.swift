import DCRModel

/// The store's health for `dcrctl status`, metrics and the watchdog. Counters are cumulative
/// since the store was opened, except `storedByKind`, which also includes what the database
/// held at open, so it answers "events stored by kind" for the whole file.
public struct StoreStatistics: Sendable, Hashable {
    /// Transactions committed (batches with at least one new or duplicate event).
    public var commits: UInt64 = 0
    /// Events in the database by kind: the count at open plus those stored since.
    public var storedByKind: [EventKind: UInt64] = [:]
    /// Appends answered `.duplicate` since open.
    public var duplicates: UInt64 = 0
    /// Appends answered `.refused` since open: a constraint of the schema refused them.
    public var refused: UInt64 = 0
    /// Appends answered `.unavailable` since open (failed batches, shutdown, refused events).
    public var unavailable: UInt64 = 0
    /// Batches whose commit failed since open.
    public var failedBatches: UInt64 = 0
    /// True between a failed batch and the next successful one.
    public var failing: Bool = false
    /// Failed batches in a row; 0 while storing works.
    public var consecutiveFailedBatches: UInt64 = 0
    /// Events waiting for the writer right now.
    public var queued: Int = 0
    public var lastCommitUs: UInt64 = 0
    public var maxCommitUs: UInt64 = 0
    public var meanCommitUs: Double = 0
    /// Raw events retention deleted since open (kept as aggregates first).
    public var retentionDeleted: UInt64 = 0
    /// The largest batch committed so far.
    public var maxBatch: Int = 0
    /// When the writer last finished a batch or an idle tick (monotonic clock). A watchdog
    /// that sees this stand still while `queued > 0` or for several idle ticks knows the
    /// writer is stuck.
    public var lastProgress: ContinuousClock.Instant

    public init(lastProgress: ContinuousClock.Instant) { self.lastProgress = lastProgress }

    public var totalStored: UInt64 { storedByKind.values.reduce(0, +) }
}
