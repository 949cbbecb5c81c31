import DCRModel
import Foundation
import GRDB
import Logging
import Synchronization

/// The durable event log: every acknowledged event, exactly once, in `<directory>/events.sqlite`.
///
/// Appends from all connections go into one queue. A single writer thread takes what has queued,
/// inserts it in ONE transaction, commits with `synchronous=FULL`, and only then calls the
/// completions (in enqueue order). One fsync thus acknowledges a whole batch, and a pipelined
/// terminal never waits for its own previous commit to send more (group commit).
///
/// The store holds no raw client codes: `append` refuses an event that still carries one, so
/// callers pseudonymise first (`Pseudonymizer.pseudonymize`).
///
/// When storing fails (disk full, locked, I/O error) the batch is rolled back and answered
/// `.unavailable`; the cause is logged once when storing starts failing and once when it works
/// again, and every following batch tries again (reopening the database where that may help).
///
/// Call `close()` when done: the writer thread keeps the store alive until then.
///
/// The class is `Sendable`: its mutable state is guarded by `condition` (queue, flags,
/// statistics) or owned by the writer thread (`writerState`), see the comments at each property.
public final class EventStore: @unchecked Sendable {
    public let path: String
    let calendar: LocalCalendar
    let logger: Logger
    let settings: StoreSettings
    let clock = ContinuousClock()

    /// One queued append.
    struct Pending {
        var row: EventRow
        var kind: EventKind
        var completion: @Sendable (AppendOutcome) -> Void
    }

    // Guarded by `condition`.
    let condition = MonotonicCondition()
    var pending: [Pending] = []
    var closing = false
    var writerFinished = false
    var stalled = false
    /// The writer sleeps until the queue is no longer empty; appends must signal.
    var writerIdle = false
    /// Events in the writer's previous batch: lingering pays only under load (writer only).
    var lastBatchCount = 0
    /// The write the writer does inside its next commit (`runInNextCommit`); one at a time.
    var chore: WriterChore?
    var stats: StoreStatistics
    /// Told of every committed batch (its duration and size), after the lock is released: the
    /// metrics' commit histograms. Set once at start, before events arrive.
    var commitObserver: (@Sendable (Duration, Int) -> Void)?

    /// The open connection; replaced by the writer when a failure calls for a reopen.
    let database: Mutex<DatabaseQueue?>

    /// With a forwarder: the last sequence committed centrally. Retention deletes no event after
    /// it (an event is gone from the room only once the city has it). nil: no forwarder.
    let retentionCeiling = Mutex<Int64?>(nil)

    /// Opens (creating when absent) `<directory>/events.sqlite`, applies migrations, counts the
    /// stored events by kind, and starts the writer thread. Throws `StoreError.cannotOpen` when
    /// the database cannot be opened at all: the daemon must not start without its log.
    public init(directory: String, calendar: LocalCalendar, logger: Logger,
                settings: StoreSettings = StoreSettings()) throws(StoreError) {
        self.path = directory + "/" + StoreSchema.fileName
        self.calendar = calendar
        self.logger = logger
        self.settings = settings
        self.stats = StoreStatistics(lastProgress: clock.now)
        let opened = try Self.open(path: path, directory: directory, settings: settings)
        self.database = Mutex(opened)
        try checkAtOpen(opened)
        let thread = Thread { [self] in writerLoop() }
        thread.name = "dcr-store-writer"
        thread.start()
    }

    /// Queues an event; `completion` is called once it is committed (`.stored`), found to be a
    /// resend (`.duplicate`), or could not be stored (`.unavailable`). Completions run on the
    /// writer thread, in enqueue order, after the commit: keep them short and non-blocking
    /// (hop to your own event loop).
    ///
    /// An event that still carries a raw client code is refused at once: it must never reach
    /// the database.
    public func append(_ event: Event, receivedAtMs: Int64,
                       completion: @escaping @Sendable (AppendOutcome) -> Void) {
        append(event, receivedAtMs: receivedAtMs, local: calendar.localTime(ms: event.header.occurredAtMs),
               completion: completion)
    }

    /// `append(_:receivedAtMs:completion:)` for a caller that has the event's local time
    /// already (`calendar.localTime(ms: occurredAtMs)`; the daemon needs it for its counters).
    public func append(_ event: Event, receivedAtMs: Int64, local: LocalTime,
                       completion: @escaping @Sendable (AppendOutcome) -> Void) {
        guard event.isPseudonymous,
              let row = EventColumns.row(for: event, receivedAtMs: receivedAtMs, local: local)
        else {
            refuse(.unavailable("internal: raw client code"), completion)
            return
        }
        condition.lock()
        if closing {
            stats.unavailable += 1
            condition.unlock()
            completion(.unavailable("shutting down"))
            return
        }
        pending.append(Pending(row: row, kind: event.kind, completion: completion))
        // Wake an idle writer on the first event; a lingering writer polls the queue itself
        // and only needs a nudge when the batch is full.
        if writerIdle || pending.count == settings.maxBatch { condition.signal() }
        condition.unlock()
    }

    /// `append(_:receivedAtMs:completion:)` for async callers.
    public func append(_ event: Event, receivedAtMs: Int64) async -> AppendOutcome {
        await withCheckedContinuation { continuation in
            append(event, receivedAtMs: receivedAtMs) { continuation.resume(returning: $0) }
        }
    }

    private func refuse(_ outcome: AppendOutcome, _ completion: @Sendable (AppendOutcome) -> Void) {
        condition.lock()
        stats.unavailable += 1
        condition.unlock()
        completion(outcome)
    }

    /// A consistent copy of the counters; cheap enough to call on every status request.
    public var statistics: StoreStatistics {
        condition.lock()
        defer { condition.unlock() }
        var copy = stats
        copy.queued = pending.count
        return copy
    }

    /// Commits everything already queued, then answers new appends `.unavailable("shutting
    /// down")`, stops the writer and closes the database. Safe to call more than once.
    public func close() {
        condition.lock()
        closing = true
        stalled = false
        condition.broadcast()
        while !writerFinished { condition.wait() }
        condition.unlock()
        database.withLock { db in
            do {
                try db?.close()
            } catch {
                logger.error("closing the event store failed: \(StoreFailure(error).reason)",
                             metadata: ["path": "\(path)"])
            }
            db = nil
        }
    }

    /// For tests only: while stalled, the writer takes no batches and stops updating
    /// `statistics.lastProgress`, as a writer stuck in a hung fsync would. Lets the watchdog's
    /// tests see a stuck store without breaking a disk. `close()` ends a stall.
    /// `observer` hears of every committed batch: how long the commit took and how many events
    /// it held. It runs on the writer thread, so it must be quick (a histogram update).
    public func observeCommits(_ observer: @escaping @Sendable (Duration, Int) -> Void) {
        condition.lock()
        commitObserver = observer
        condition.unlock()
    }

    public func setWriterStalledForTesting(_ stalled: Bool) {
        condition.lock()
        self.stalled = stalled && !closing
        condition.broadcast()
        condition.unlock()
    }
}
