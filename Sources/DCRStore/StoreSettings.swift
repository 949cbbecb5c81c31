/// How the store trades acknowledgement latency for commits per second.
public struct StoreSettings: Sendable, Hashable {
    /// The most events one transaction commits; bounds the time a batch holds the writer.
    public var maxBatch: Int
    /// How long the writer waits for more events when fewer than `maxBatch` are queued, before
    /// committing what it has. Zero (the default) commits as soon as the writer is free, and
    /// what arrives during one commit's fsync is the next batch (group commit as PostgreSQL does
    /// it): measured, that was both faster and lower in latency than any linger
    /// (`Benchmarks/README.md`, "Group commit without a linger").
    public var maxDelay: Duration
    /// How long a commit waits for a lock held by another connection (a stray `sqlite3`, a
    /// backup) before the batch is answered `.unavailable`.
    public var busyTimeout: Duration
    /// How often an idle writer wakes to show it is alive (`StoreStatistics.lastProgress`), so a
    /// watchdog can tell "idle" from "stuck".
    public var idleTick: Duration
    /// SQLite page cache, KiB. Event ids are random UUIDs, so every insert lands on a random
    /// page of the `event_id` index; a cache that holds the whole index (about 40 bytes per
    /// event) saves a read per insert. Memory is only used as the database grows.
    public var cacheKiB: Int
    /// WAL pages (4 KiB) after which a commit copies the WAL back into the database. Larger
    /// means fewer, longer checkpoints and fewer writes of hot index pages; the WAL file grows
    /// to about this size.
    public var checkpointPages: Int
    /// For tests only: a pause between writing a backup's temporary file and checking it, so a
    /// test can kill the daemon while the copy is whole but not yet in place
    /// (`DCRD_FAULT_BACKUP_PAUSE_MS`). Zero in production.
    public var backupPauseForTesting: Duration = .zero

    public init(maxBatch: Int = 4096, maxDelay: Duration = .zero,
                busyTimeout: Duration = .seconds(1), idleTick: Duration = .seconds(1),
                cacheKiB: Int = 32 * 1024, checkpointPages: Int = 10_000) {
        self.maxBatch = max(1, maxBatch)
        self.maxDelay = max(.zero, maxDelay)
        self.busyTimeout = max(.zero, busyTimeout)
        self.idleTick = max(.milliseconds(10), idleTick)
        self.cacheKiB = max(1024, cacheKiB)
        self.checkpointPages = max(100, checkpointPages)
    }
}
