import DCRModel
import DCRStore
import Foundation
import GRDB
import Testing

@Suite("When storing fails")
struct StorageFailureTests {
    @Test("a database locked by another process makes appends unavailable until the lock goes, logged once each way")
    func lockedDatabase() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let logs = LogRecorder()
        let store = try Fixtures.openStore(dir, logger: logs.logger(), settings: StoreSettings(
            maxDelay: .zero, busyTimeout: .milliseconds(20)))
        var acknowledged: [EventID] = []
        for i in 0..<5 {
            let event = Fixtures.intake(Int64(i))
            #expect(await store.append(event, receivedAtMs: 0) == .stored)
            acknowledged.append(event.id)
        }

        // A stray connection (like `sqlite3 events.sqlite` with an open write transaction).
        // (GRDB refuses to leave a transaction open unless told it is on purpose.)
        var unsafe = Configuration()
        unsafe.allowsUnsafeTransactions = true
        let intruder = try DatabaseQueue(path: dir.file("events.sqlite"), configuration: unsafe)
        try await intruder.writeWithoutTransaction { db in try db.execute(sql: "BEGIN EXCLUSIVE") }
        var refused: [Event] = []
        for i in 0..<5 {
            let event = Fixtures.intake(Int64(100 + i))
            let outcome = await store.append(event, receivedAtMs: 0)
            guard case .unavailable(let reason) = outcome else {
                Issue.record("expected unavailable while locked, got \(outcome)")
                continue
            }
            #expect(reason.contains("locked"), "reason: \(reason)")
            refused.append(event)
        }
        #expect(store.statistics.failing)
        #expect(logs.count(containing: "storing events fails") == 1)

        try await intruder.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        try intruder.close()
        // The terminal retries what was refused.
        for event in refused {
            #expect(await store.append(event, receivedAtMs: 0) == .stored)
            acknowledged.append(event.id)
        }
        #expect(!store.statistics.failing)
        #expect(logs.count(containing: "storing events works again") == 1)
        #expect(logs.count(containing: "storing events fails") == 1)
        store.close()

        try expectExactly(acknowledged, in: dir.path)
    }

    @Test("a full disk makes appends unavailable, nothing acknowledged is lost, and ingest resumes once space returns",
          .enabled(if: Tmpfs.available, "needs permission to mount a tmpfs"))
    func diskFull() async throws {
        let disk = try Tmpfs(bytes: 1024 * 1024)
        defer { disk.unmount() }
        // Space to give back later.
        let filler = disk.path + "/filler"
        #expect(FileManager.default.createFile(atPath: filler, contents: Data(count: 384 * 1024)))
        let state = disk.path + "/state"
        let logs = LogRecorder()
        // Bulky rows fill the disk quickly: an 8 KiB site code (the store takes any text; the
        // daemon's rules refuse such a code before it gets there).
        let bulkySite = String(repeating: "Z", count: 8 * 1024)
        let store = try EventStore(directory: state, calendar: Fixtures.calendar, logger: logs.logger(),
                                   settings: StoreSettings(maxDelay: .zero))

        var acknowledged: [EventID] = []
        var refused: [Event] = []
        var reason = ""
        for i in 0..<1_000 {
            var event = Fixtures.intake(Int64(i))
            event.header.site = bulkySite
            switch await store.append(event, receivedAtMs: 0) {
            case .stored: acknowledged.append(event.id)
            case .duplicate: Issue.record("unexpected duplicate")
            case .unavailable(let why): reason = why; refused.append(event)
            case .refused(let why): Issue.record("unexpected refusal: \(why)")
            }
            if refused.count == 3 { break }
        }
        #expect(refused.count == 3, "the disk never filled")
        #expect(acknowledged.count > 10)
        #expect(reason.contains("disk full"), "reason: \(reason)")
        #expect(logs.count(containing: "storing events fails") == 1)

        try FileManager.default.removeItem(atPath: filler)
        for event in refused {
            #expect(await store.append(event, receivedAtMs: 0) == .stored)
            acknowledged.append(event.id)
        }
        #expect(logs.count(containing: "storing events works again") == 1)
        store.close()

        try expectExactly(acknowledged, in: state)
    }

    /// Reopens the store and checks that it holds exactly these events, each once.
    private func expectExactly(_ ids: [EventID], in directory: String) throws {
        let store = try EventStore(directory: directory, calendar: Fixtures.calendar,
                                   logger: .init(label: "test"))
        defer { store.close() }
        var replayed: [EventID] = []
        _ = try store.replay { replayed.append($0.id) }
        #expect(replayed.count == ids.count)
        #expect(Set(replayed) == Set(ids))
    }
}
