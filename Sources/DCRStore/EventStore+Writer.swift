import DCRModel
import Foundation
import GRDB
import GRDBSQLite
import Logging

/// The writer thread: the only code that writes to the database.
extension EventStore {
    func writerLoop() {
        var needsReopen = false
        var walMayBeFull = false
        // Since a full disk, and until the directory has room for a WAL of `checkpointPages`
        // again: the WAL is moved into the database before every batch. Otherwise the space that
        // came back goes to a growing WAL (every commit appends whole pages, so many small
        // batches fill it fast), the disk is full again, and the checkpoint that would give the
        // space back cannot run: it needs room in the database file that the WAL now holds.
        var spaceIsShort = false
        let directory = (path as NSString).deletingLastPathComponent
        let roomForWAL = Int64(settings.checkpointPages) * 4096 * 2
        while let (batch, chore) = nextBatch() {
            let started = clock.now
            if spaceIsShort { walMayBeFull = true }
            let result = commit(batch, chore: chore, needsReopen: &needsReopen, walMayBeFull: &walMayBeFull)
            switch result {
            case .failure(let failure) where failure.diskFull: spaceIsShort = true
            case .success where spaceIsShort: spaceIsShort = Self.freeBytes(directory) < roomForWAL
            default: break
            }
            if let chore { answer(chore, batchResult: result) }
            if !batch.isEmpty { finish(batch, result, elapsed: clock.now - started) }
        }
        condition.lock()
        writerFinished = true
        if let c = chore, c.result == nil { c.result = .failure(StoreError.cannotRead("the store closed")) }
        chore = nil
        condition.broadcast()
        condition.unlock()
    }

    /// Runs `work` on the writer's connection inside its next commit (after that commit's events,
    /// or alone when none are queued) and waits for it. One at a time: a second caller waits
    /// for the first.
    func runInNextCommit(_ work: @escaping (Database) throws -> Int) throws -> Int {
        let mine = WriterChore(work)
        condition.lock()
        defer { condition.unlock() }
        while chore != nil && !writerFinished { condition.wait() }
        guard !writerFinished, !closing else { throw StoreError.cannotRead("the store is closing") }
        chore = mine
        condition.broadcast()
        while mine.result == nil && !writerFinished { condition.wait() }
        guard let result = mine.result else { throw StoreError.cannotRead("the store closed") }
        return try result.get()
    }

    /// A chore whose commit failed is answered with that failure (nothing of it was written).
    private func answer(_ done: WriterChore, batchResult: Result<[Insertion], StoreFailure>) {
        condition.lock()
        if case .failure(let failure) = batchResult, done.result == nil {
            done.result = .failure(StoreError.cannotRead(failure.reason))
        }
        if done.result == nil { done.result = .failure(StoreError.cannotRead("the writer did not run it")) }
        // A commit of a chore alone is progress too (the watchdog's store probe reads this).
        stats.lastProgress = clock.now
        chore = nil
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for work and takes a batch; nil once closing and everything queued is taken.
    ///
    /// By default (`maxDelay` zero) the writer takes whatever is queued the moment it is free:
    /// what arrived during the previous commit's fsync is the next batch (group commit as
    /// PostgreSQL does it), so a lone event never waits for a timer. Measured side by side, a
    /// linger of 1 ms cost both latency (p50 at 10,000 events/s 1.7–2.2 ms against 0.4–1.2 ms)
    /// and throughput (`Benchmarks/README.md`, "Group commit without a linger").
    ///
    /// With `maxDelay` above zero, and only under load (the previous batch held more than one
    /// event), the writer lingers up to `maxDelay` for more while they keep coming: a pause of
    /// `maxDelay / 8` without a new event ends the lingering.
    private func nextBatch() -> ([Pending], WriterChore?)? {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if stalled {
                condition.wait()
                continue
            }
            if !pending.isEmpty { break }
            // A chore with no events waiting runs alone, at once.
            if let c = chore, c.result == nil { return ([], c) }
            if closing { return nil }
            writerIdle = true
            condition.wait(timeout: settings.idleTick)
            writerIdle = false
            if pending.isEmpty && !stalled { stats.lastProgress = clock.now }
        }
        if settings.maxDelay > .zero && pending.count < settings.maxBatch && lastBatchCount > 1 {
            let deadline = clock.now + settings.maxDelay
            let gap = settings.maxDelay / 8
            var seen = pending.count
            while pending.count < settings.maxBatch && !closing && !stalled {
                let remaining = deadline - clock.now
                if remaining <= .zero { break }
                condition.wait(timeout: min(gap, remaining))
                if pending.count == seen { break }
                seen = pending.count
            }
        }
        let taken = chore.flatMap { $0.result == nil ? $0 : nil }
        lastBatchCount = min(pending.count, settings.maxBatch)
        if pending.count <= settings.maxBatch {
            defer { pending.removeAll(keepingCapacity: true) }
            return (pending, taken)
        }
        defer { pending.removeFirst(settings.maxBatch) }
        return (Array(pending[..<settings.maxBatch]), taken)
    }

    /// Inserts the batch in one transaction. On success, what became of each event: new, a
    /// duplicate (its `event_id` was already stored, possibly earlier in this batch), or refused
    /// by a constraint of the schema. A refusal rolls the batch back and its events go in one by
    /// one, so that only the event that broke the constraint is refused.
    private func commit(_ batch: [Pending], chore: WriterChore?, needsReopen: inout Bool,
                        walMayBeFull: inout Bool) -> Result<[Insertion], StoreFailure> {
        do {
            let queue = try currentQueue(reopen: needsReopen)
            needsReopen = false
            if walMayBeFull {
                // After a full disk the WAL holds everything since the last checkpoint; moving
                // it into the database and truncating it gives the space back, so freed space
                // is enough for ingest to resume.
                _ = try? queue.writeWithoutTransaction { try $0.checkpoint(.truncate) }
                walMayBeFull = false
            }
            do {
                return .success(try insert(batch[...], chore: chore, into: queue))
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT && !batch.isEmpty {
                var outcomes: [Insertion] = []
                outcomes.reserveCapacity(batch.count)
                for i in batch.indices {
                    do {
                        outcomes += try insert(batch[i...i], chore: nil, into: queue)
                    } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                        outcomes.append(.refused(StoreFailure(error).reason))
                    }
                }
                // The chore was rolled back with the batch: once more, alone. Its failure is its
                // own answer and never the events' (they are stored).
                if let chore {
                    do {
                        _ = try insert([][...], chore: chore, into: queue)
                    } catch {
                        condition.lock()
                        chore.result = .failure(error)
                        condition.unlock()
                    }
                }
                return .success(outcomes)
            }
        } catch {
            let failure = StoreFailure(error)
            if failure.reopen { needsReopen = true }
            if failure.diskFull { walMayBeFull = true }
            return .failure(failure)
        }
    }

    /// One transaction for `events`. `ON CONFLICT(event_id) DO NOTHING` makes only a repeated id
    /// a duplicate; any other constraint (NOT NULL, CHECK) throws, where `INSERT OR IGNORE`
    /// would have answered it as a duplicate and the event would have been acknowledged unstored.
    ///
    /// A chore runs after the events, in the same transaction. Its own failure rolls back only
    /// its savepoint and is its answer; the events commit regardless.
    private func insert(_ events: ArraySlice<Pending>, chore: WriterChore?, into queue: DatabaseQueue) throws -> [Insertion] {
        try queue.writeWithoutTransaction { db in
            var inserted: [Insertion] = []
            inserted.reserveCapacity(events.count)
            var choreResult: Result<Int, any Error>?
            try db.inTransaction(.immediate) {
                // The statement is GRDB's (prepared once, cached), but each row is bound and
                // stepped straight through SQLite: GRDB's per-execution bookkeeping (argument
                // checks, transaction observers, of which the store has none, and its queue
                // assertions) was a tenth of the writer's time, and the writer is the one
                // thread every event passes through.
                let statement = try db.cachedStatement(sql: StoreSchema.insertSQL).sqliteStatement
                for event in events {
                    try event.row.bind(to: statement)
                    let code = sqlite3_step(statement)
                    guard code == SQLITE_DONE else {
                        let message = String(cString: sqlite3_errmsg(db.sqliteConnection))
                        sqlite3_reset(statement)
                        throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: StoreSchema.insertSQL)
                    }
                    inserted.append(sqlite3_changes(db.sqliteConnection) > 0 ? .new : .duplicate)
                }
                if let chore {
                    do {
                        var n = 0
                        try db.inSavepoint {
                            n = try chore.work(db)
                            return .commit
                        }
                        choreResult = .success(n)
                    } catch {
                        // A failure that ended the whole transaction (a full disk, an I/O error)
                        // is the batch's: its real error goes up, so the writer's recovery sees it.
                        if !db.isInsideTransaction { throw error }
                        choreResult = .failure(error)
                    }
                }
                return .commit
            }
            if let chore, let choreResult {
                condition.lock()
                chore.result = choreResult
                condition.unlock()
            }
            return inserted
        }
    }

    /// Free bytes for an unprivileged writer in `directory`'s file system; 0 when unknown.
    static func freeBytes(_ directory: String) -> Int64 {
        var s = statvfs()
        guard statvfs(directory, &s) == 0 else { return 0 }
        return Int64(s.f_bavail) * Int64(s.f_frsize)
    }

    private func currentQueue(reopen: Bool) throws(StoreError) -> DatabaseQueue {
        try database.withLock { (db: inout DatabaseQueue?) throws(StoreError) -> DatabaseQueue in
            if let open = db, !reopen { return open }
            try? db?.close()
            db = nil
            let opened = try Self.open(path: path, directory: (path as NSString).deletingLastPathComponent,
                                       settings: settings)
            db = opened
            return opened
        }
    }

    /// Updates the statistics, logs a change between working and failing, and only then
    /// answers the batch's appends, in order.
    private func finish(_ batch: [Pending], _ result: Result<[Insertion], StoreFailure>, elapsed: Duration) {
        var outcomes: [AppendOutcome] = []
        outcomes.reserveCapacity(batch.count)
        condition.lock()
        let wasFailing = stats.failing
        let failedInRow = stats.consecutiveFailedBatches
        switch result {
        case .success(let inserted):
            let us = UInt64(max(0, elapsed / .microseconds(1)))
            stats.commits += 1
            stats.lastCommitUs = us
            stats.maxCommitUs = max(stats.maxCommitUs, us)
            stats.meanCommitUs += (Double(us) - stats.meanCommitUs) / Double(stats.commits)
            stats.maxBatch = max(stats.maxBatch, batch.count)
            stats.failing = false
            stats.consecutiveFailedBatches = 0
            for (i, insertion) in inserted.enumerated() {
                switch insertion {
                case .new:
                    stats.storedByKind[batch[i].kind, default: 0] += 1
                    outcomes.append(.stored)
                case .duplicate:
                    stats.duplicates += 1
                    outcomes.append(.duplicate)
                case .refused(let reason):
                    stats.refused += 1
                    outcomes.append(.refused(reason))
                }
            }
        case .failure(let failure):
            stats.failedBatches += 1
            stats.unavailable += UInt64(batch.count)
            stats.failing = true
            stats.consecutiveFailedBatches += 1
            outcomes = Array(repeating: .unavailable(failure.reason), count: batch.count)
        }
        stats.lastProgress = clock.now
        let observer = commitObserver
        condition.unlock()
        if case .success = result { observer?(elapsed, batch.count) }

        for case .refused(let reason) in outcomes {
            logger.error("the store refused an event: \(reason); it was answered INTERNAL and is not stored (a bug: validation should refuse it first)",
                         metadata: ["path": "\(path)"])
        }

        switch result {
        case .success where wasFailing:
            logger.notice("storing events works again",
                          metadata: ["path": "\(path)", "failed_batches": "\(failedInRow)"])
        case .failure(let failure) where !wasFailing:
            logger.error("""
                storing events fails: \(failure.reason); events are answered UNAVAILABLE and \
                every new batch tries again
                """, metadata: ["path": "\(path)"])
        default:
            break
        }
        for i in batch.indices { batch[i].completion(outcomes[i]) }
    }
}

/// What one insert of a committed batch did.
enum Insertion: Sendable, Hashable {
    case new
    case duplicate
    /// A constraint of the schema refused the event (the reason names the constraint).
    case refused(String)
}
