import DCRModel
import DCRStore
import Testing

@Suite("Appending events")
struct AppendTests {
    @Test("an appended event is stored and counted by kind")
    func appendStores() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Fixtures.openStore(dir)
        defer { store.close() }

        let event = Fixtures.intake()
        #expect(await store.append(event, receivedAtMs: Fixtures.baseMs) == .stored)
        #expect(try store.contains(event.id))
        let stats = store.statistics
        #expect(stats.storedByKind[.intake] == 1)
        #expect(stats.commits == 1)
    }

    @Test("the same event_id again is a duplicate, also after close and reopen")
    func duplicateAcrossReopen() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let event = Fixtures.intake()
        do {
            let store = try Fixtures.openStore(dir)
            defer { store.close() }
            #expect(await store.append(event, receivedAtMs: 1) == .stored)
            #expect(await store.append(event, receivedAtMs: 2) == .duplicate)
        }
        let store = try Fixtures.openStore(dir)
        defer { store.close() }
        #expect(store.statistics.storedByKind[.intake] == 1, "the count at open includes stored events")
        #expect(await store.append(event, receivedAtMs: 3) == .duplicate)
        // A resend with different content is still the same event: the id decides.
        var changed = Fixtures.intake(60_000, client: Fixtures.pseudonym(99))
        changed.header.id = event.id
        #expect(await store.append(changed, receivedAtMs: 4) == .duplicate)
        #expect(try store.replay { _ in } .count == 1)
        #expect(store.statistics.duplicates == 2)
    }

    @Test("a duplicate inside one batch is a duplicate and the batch is one commit")
    func duplicateWithinBatch() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Fixtures.openStore(dir)
        defer { store.close() }

        // Hold the writer so that all three appends are queued before it takes a batch.
        store.setWriterStalledForTesting(true)
        let first = Fixtures.intake()
        let other = Fixtures.intake(1)
        let outcomes = OutcomeLog()
        store.append(first, receivedAtMs: 1) { outcomes.record(0, $0) }
        store.append(first, receivedAtMs: 2) { outcomes.record(1, $0) }
        store.append(other, receivedAtMs: 3) { outcomes.record(2, $0) }
        #expect(store.statistics.queued == 3)
        store.setWriterStalledForTesting(false)

        #expect(await eventually { outcomes.count == 3 })
        #expect(outcomes.inOrder == [.stored, .duplicate, .stored])
        #expect(outcomes.completionOrder == [0, 1, 2], "completions run in enqueue order")
        #expect(store.statistics.commits == 1)
        #expect(store.statistics.storedByKind[.intake] == 2)
    }

    @Test("many concurrent appends share commits")
    func groupCommit() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Fixtures.openStore(dir)
        defer { store.close() }

        let n = 2_000
        let events = (0..<n).map { Fixtures.intake(Int64($0)) }
        let stored = await withTaskGroup(of: AppendOutcome.self) { group in
            for event in events {
                group.addTask { await store.append(event, receivedAtMs: 0) }
            }
            var stored = 0
            for await outcome in group where outcome == .stored { stored += 1 }
            return stored
        }
        #expect(stored == n)
        let stats = store.statistics
        #expect(stats.storedByKind[.intake] == UInt64(n))
        #expect(stats.commits < UInt64(n), "commits: \(stats.commits)")
        #expect(stats.maxBatch > 1)
        #expect(try store.replay { _ in } .count == n)
    }

    @Test("after close, appends are refused as shutting down and queued ones were committed")
    func closeDrains() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Fixtures.openStore(dir)
        store.setWriterStalledForTesting(true)
        let outcomes = OutcomeLog()
        for i in 0..<10 { store.append(Fixtures.intake(Int64(i)), receivedAtMs: 0) { outcomes.record(i, $0) } }
        store.close()
        #expect(outcomes.count == 10)
        #expect(outcomes.inOrder.allSatisfy { $0 == .stored })
        #expect(await store.append(Fixtures.intake(), receivedAtMs: 0) == .unavailable("shutting down"))

        let reopened = try Fixtures.openStore(dir)
        defer { reopened.close() }
        #expect(reopened.statistics.storedByKind[.intake] == 10)
    }

    @Test("an idle writer still shows progress; a stalled one does not")
    func progressForWatchdog() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Fixtures.openStore(dir, settings: StoreSettings(idleTick: .milliseconds(10)))
        defer { store.close() }

        let first = store.statistics.lastProgress
        #expect(await eventually { store.statistics.lastProgress > first })

        store.setWriterStalledForTesting(true)
        // The stamp is taken under the store's lock and never while stalled, so it is final
        // as soon as the stall is set. Give the writer several idle ticks to prove it.
        let stalledAt = store.statistics.lastProgress
        store.append(Fixtures.intake(), receivedAtMs: 0) { _ in }
        try await Task.sleep(for: .milliseconds(60))
        #expect(store.statistics.lastProgress == stalledAt)
        #expect(store.statistics.queued == 1)

        store.setWriterStalledForTesting(false)
        #expect(await eventually { store.statistics.queued == 0 && store.statistics.commits == 1 })
        #expect(store.statistics.lastProgress > stalledAt)
    }
}
