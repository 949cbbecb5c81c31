import DCRClient
import DCRModel
import DCRWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A small tmpfs mounted on a test daemon's state directory, so the daemon fills a real disk.
/// Needs permission to mount (root on the test machine); the tests that need it are skipped otherwise.
enum StateTmpfs {
    static func mount(at path: String, bytes: Int) -> Bool {
        #if os(Linux)
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return Glibc.mount("tmpfs", path, "tmpfs", 0, "size=\(bytes),mode=0700") == 0
        #else
        return false
        #endif
    }

    static func unmount(_ path: String) {
        #if os(Linux)
        umount2(path, Int32(MNT_DETACH))
        #endif
    }

    static let available: Bool = {
        let probe = NSTemporaryDirectory() + "dcr-mount-probe-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard mount(at: probe, bytes: 64 * 1024) else { return false }
        unmount(probe)
        return true
    }()

    static func freeBytes(_ path: String) -> Int {
        var s = statvfs()
        guard statvfs(path, &s) == 0 else { return 0 }
        return Int(s.f_bavail) * Int(s.f_frsize)
    }
}

/// Issue 3, acceptance 3: when the store cannot write, events are answered UNAVAILABLE, the
/// daemon stays up and says why once, nothing acknowledged is lost, and ingest resumes by itself.
@Suite("Storage failures under the real dcrd", .serialized)
struct StorageFailureTests {
    enum Outcome: Equatable { case acked, unavailable(String), other(String) }

    /// Sends a pipelined window and sorts the answers.
    static func send(_ events: [Event], on c: DaemonConnection) async throws -> [Outcome] {
        let answers = try await c.sendAll(events.map { .event($0) })
        return answers.map { a in
            if a.body == .ack(duplicate: false) { return .acked }
            if let e = a.error, e.code == .unavailable { return .unavailable(e.message) }
            return .other("\(a)")
        }
    }

    static func count(_ text: String, in log: String) -> Int {
        log.split(separator: "\n").filter { $0.contains(text) }.count
    }

    @Test("a full state directory: UNAVAILABLE (14), logged once per failure spell (not per event), daemon up, nothing acknowledged lost, resumes when space returns",
          .enabled(if: StateTmpfs.available, "needs permission to mount a tmpfs (run as root)"))
    func diskFull() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        guard StateTmpfs.mount(at: daemon.stateDirectory, bytes: 4 * 1024 * 1024) else {
            Issue.record("mount failed although the probe worked"); return
        }
        defer { StateTmpfs.unmount(daemon.stateDirectory) }
        try await daemon.start()
        let c = try await daemon.connect(role: .terminal)
        var factory = EventFactory(seed: 31)
        var n = 0
        var acked: [Event] = []

        // The store works before the disk fills: a first window is stored, before the filler (the
        // free space is measured after the daemon's first writes: WAL, shared-memory index, key).
        let first = (0..<128).map { _ in defer { n += 1 }; return factory.event(n) }
        #expect(try await Self.send(first, on: c).allSatisfy { $0 == .acked })
        acked += first

        // Leave the store 2 MiB: a filler file takes the rest. How many events fit depends on group
        // commit: every commit appends whole pages to the WAL (the table's and each index's: about
        // 16 KiB), so on a loaded machine, where batches are small, far fewer fit than when idle
        // (384 KiB held 73 events once). 2 MiB holds 100 even at one event per commit.
        let filler = daemon.stateDirectory + "/filler"
        let spare = 2 * 1024 * 1024
        let free = StateTmpfs.freeBytes(daemon.stateDirectory)
        #expect(FileManager.default.createFile(atPath: filler, contents: Data(count: max(0, free - spare))))

        var refused: [Event] = []
        var reasons = Set<String>()
        // Stream until the disk is full, then a few windows more.
        var windowsAfterFull = 0
        let deadline = ContinuousClock.now + .seconds(60)
        while windowsAfterFull < 5 {
            guard ContinuousClock.now < deadline else { throw HarnessError("the disk never filled (acked \(acked.count))") }
            let window = (0..<128).map { _ in defer { n += 1 }; return factory.event(n) }
            for (e, o) in zip(window, try await Self.send(window, on: c)) {
                switch o {
                case .acked: acked.append(e)
                case .unavailable(let why): refused.append(e); reasons.insert(why)
                case .other(let what): Issue.record("unexpected answer: \(what)")
                }
            }
            if !refused.isEmpty { windowsAfterFull += 1 }
        }
        #expect(acked.count - first.count > 100, "stored in the spare before the disk was full")
        #expect(refused.count >= 4 * 128)
        #expect(reasons.allSatisfy { $0.contains("disk full") }, "\(reasons)")
        #expect(daemon.process?.isRunning == true)
        // Once per change from working to failing, not once per event: right at the edge of a
        // full disk a smaller batch may still fit (and is acknowledged, "works again"), so the
        // store may flip more than once before it stays full.
        let failLines = Self.count("storing events fails", in: daemon.log)
        #expect((1...3).contains(failLines), "\(daemon.log)")
        #expect(refused.count >= 100 * failLines)
        #expect(daemon.log.contains("disk full"))

        // Space returns: the refused events go through by themselves, with no restart.
        try FileManager.default.removeItem(atPath: filler)
        var retry = refused
        // A deadline, not a wait: it returns as soon as every refused event is stored (about 1 s with
        // two busy processes on 2 cores). Before the store kept its WAL small after a full disk, the
        // space that came back went to the WAL under load and the events stayed refused for good.
        _ = try await eventually("the refused events to be stored after space returned", timeout: .seconds(120)) {
            let outcomes = try await Self.send(retry, on: c)
            let stored = zip(retry, outcomes).filter { $0.1 == .acked }.map(\.0)
            acked += stored
            retry = zip(retry, outcomes).filter { $0.1 != .acked }.map(\.0)
            return retry.isEmpty ? true : nil
        }
        #expect(Self.count("storing events works again", in: daemon.log) == failLines)
        #expect(Self.count("storing events fails", in: daemon.log) == failLines)
        await c.close()

        // Everything acknowledged is on disk, exactly once.
        #expect(try await daemon.stop() == 0)
        try await daemon.start()
        let monitor = try await daemon.connect(role: .monitor)
        guard case .status(let status) = try await monitor.send(.status).body else { Issue.record("no status"); return }
        #expect(status.eventsStored.values.reduce(0, +) == UInt64(acked.count))
        let terminal = try await daemon.connect(role: .terminal)
        let again = try await terminal.sendAll(acked.map { .event($0) })
        #expect(again.allSatisfy { $0.body == .ack(duplicate: true) })
        await terminal.close()
        await monitor.close()
        #expect(try await daemon.stop() == 0)
    }

    @Test("a database locked by a stray sqlite3: UNAVAILABLE while it holds the lock, logged once, resumes when it lets go")
    func lockedByStrayProcess() async throws {
        let sqlite = "/usr/bin/sqlite3"
        try #require(FileManager.default.isExecutableFile(atPath: sqlite), "needs \(sqlite)")
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let c = try await daemon.connect(role: .terminal)
        var factory = EventFactory(seed: 32)
        var n = 0
        func window(_ size: Int) -> [Event] { (0..<size).map { _ in defer { n += 1 }; return factory.event(n) } }
        var acked = window(50)
        #expect(try await Self.send(acked, on: c).allSatisfy { $0 == .acked })

        // The stray process: an open write transaction on the daemon's database.
        let stray = Process()
        stray.executableURL = URL(fileURLWithPath: sqlite)
        stray.arguments = [daemon.stateDirectory + "/events.sqlite"]
        let input = Pipe(), output = Pipe()
        stray.standardInput = input
        stray.standardOutput = output
        stray.standardError = output
        let collected = OutputCollector(output)
        try stray.run()
        defer { if stray.isRunning { stray.terminate() } }
        input.fileHandleForWriting.write(Data("BEGIN EXCLUSIVE;\nSELECT 'holding-' || 'the-lock';\n".utf8))
        _ = try await eventually("sqlite3 to hold the lock") { collected.value.contains("holding-the-lock") ? true : nil }

        var refused: [Event] = []
        for _ in 0..<3 {
            let w = window(32)
            for (e, o) in zip(w, try await Self.send(w, on: c)) {
                switch o {
                case .acked: Issue.record("stored while the database is locked")
                case .unavailable(let why):
                    #expect(why.contains("locked"), "\(why)")
                    refused.append(e)
                case .other(let what): Issue.record("unexpected answer: \(what)")
                }
            }
        }
        #expect(refused.count == 96)
        #expect(daemon.process?.isRunning == true)
        #expect(Self.count("storing events fails", in: daemon.log) == 1, "\(daemon.log)")

        input.fileHandleForWriting.write(Data("ROLLBACK;\n.quit\n".utf8))
        _ = try await eventually("sqlite3 to exit") { stray.isRunning ? nil : true }
        var retry = refused
        _ = try await eventually("the refused events to be stored after the lock went", timeout: .seconds(30)) {
            let outcomes = try await Self.send(retry, on: c)
            acked += zip(retry, outcomes).filter { $0.1 == .acked }.map(\.0)
            retry = zip(retry, outcomes).filter { $0.1 != .acked }.map(\.0)
            return retry.isEmpty ? true : nil
        }
        #expect(Self.count("storing events works again", in: daemon.log) == 1)
        #expect(Self.count("storing events fails", in: daemon.log) == 1)
        let again = try await c.sendAll(acked.map { .event($0) })
        #expect(again.allSatisfy { $0.body == .ack(duplicate: true) })
        await c.close()
        let monitor = try await daemon.connect(role: .monitor)
        guard case .status(let status) = try await monitor.send(.status).body else { Issue.record("no status"); return }
        #expect(status.eventsStored.values.reduce(0, +) == UInt64(acked.count))
        await monitor.close()
        #expect(try await daemon.stop() == 0)
    }
}

/// Issue 10, acceptance 2: only a repeated event_id is a duplicate. Any other constraint the
/// store's schema holds (NOT NULL, CHECK) is answered as an error, never acknowledged.
@Suite("A constraint the store refuses, under the real dcrd")
struct StoreConstraintTests {
    @Test("an event that breaks a CHECK of the schema is INTERNAL, not an Ack; its neighbours are stored; a resend is refused again")
    func checkViolation() async throws {
        let daemon = try DaemonProcess(configuration: "site BROKEN 2")
        defer { daemon.cleanUp() }
        try await daemon.start()
        #expect(try await daemon.stop() == 0)
        // SQLite lets a CHECK be added in place when no stored row breaks it.
        let store = daemon.stateDirectory + "/events.sqlite"
        let edit = try await ToolRun.run("/usr/bin/sqlite3", [store, """
            PRAGMA writable_schema = ON;
            UPDATE sqlite_schema SET sql = replace(sql, 'site TEXT NOT NULL', 'site TEXT NOT NULL CHECK (site <> ''BROKEN'')')
                WHERE type = 'table' AND name = 'events';
            PRAGMA writable_schema = OFF;
            """], timeout: .seconds(60))
        #expect(edit.status == 0, "sqlite3: \(edit.err)")
        try await daemon.start()

        let c = try await daemon.connect(role: .terminal)
        var factory = EventFactory(seed: 77)
        let events = [factory.event(0), factory.event(1, site: "BROKEN", capacity: 2), factory.event(2)]
        let answers = try await c.sendAll(events.map { .event($0) })
        #expect(answers[0].body == .ack(duplicate: false) && answers[2].body == .ack(duplicate: false), "\(answers)")
        #expect(answers[1].error?.code == .internal, "the refused event: \(answers[1])")
        #expect(answers[1].error?.message.contains("not stored") == true)
        let again = try await c.sendAll([.event(events[1])])
        #expect(again[0].error?.code == .internal, "a resend is no duplicate: \(again[0])")
        await c.close()
        #expect(try await ToolRun.sqlite3(store, "SELECT count(*) FROM events WHERE site = 'BROKEN'") == "0")
        #expect(try await ToolRun.sqlite3(store, "SELECT count(*) FROM events") == "2")
        #expect(daemon.log.contains("the store refused an event"))
    }
}
