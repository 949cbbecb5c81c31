import DCRModel
import DCRWire
import Foundation
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 15, acceptance 1 and 2: `dcrctl backup` while terminals stream, `dcrd --restore`, and
/// a SIGKILL in the middle of a backup. Everything through the real dcrd, dcrctl and sqlite3.
@Suite("Backup and restore", .serialized)
struct BackupTests {
    /// The day before the test clock's "now" (2026-03-12 in Copenhagen): events acknowledged
    /// before the backup are on it, events streamed during the backup are on the test day, so
    /// reports over this day must come out of the restored store exactly as out of the original.
    static let earlierDay = "2026-03-12"
    static let earlierNowMs = DaemonProcess.testClockStartMs - 86_400_000

    static func reports(_ daemon: DaemonProcess, day: String = earlierDay) async throws -> [String] {
        var out: [String] = []
        for args in [
            ["report", "clients", "--by", "site,gender"], ["report", "intakes", "--by", "substance,route"],
            ["report", "incidents", "--by", "incident-kind,victim-gender"], ["report", "referrals", "--by", "target"],
            ["report", "intakes", "--by", "hour"],
        ] {
            let r = try await daemon.dcrctl(args + ["--from", day, "--to", day, "--json"])
            guard r.status == 0 else { throw HarnessError("\(args): \(r.stderr)") }
            out.append(r.stdout)
        }
        return out
    }

    static func hex(_ id: EventID) -> String { id.bytes.map { String(format: "%02X", $0) }.joined() }

    static func files(_ directory: URL) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    }

    @Test("a backup while 4 connections stream: integrity_check ok, every event acknowledged before it, whole events only; restored reports equal the original's")
    func backupWhileStreaming() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        var factory = EventFactory(seed: 15, now: Self.earlierNowMs)
        let early = (0..<2000).map { factory.event($0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for k in 0..<4 { group.addTask { try await daemon.sendAll(Array(early[k * 500..<(k + 1) * 500])) } }
            try await group.waitForAll()
        }
        let original = try await Self.reports(daemon)

        // Four terminals stream events of the test day until the backup has answered.
        let stop = Shared(false)
        let streamed = Shared(0)
        let streams = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for k in 0..<4 {
                    group.addTask {
                        let c = try await daemon.connect(role: .terminal)
                        defer { Task { await c.close() } }
                        var f = EventFactory(seed: 100 + UInt64(k))
                        var n = 0
                        while !stop.value {
                            let batch = (0..<64).map { f.event(n + $0, site: "SKYEN", capacity: 6) }
                            n += 64
                            let answers = try await c.sendAll(batch.map { .event($0) })
                            guard answers.allSatisfy({ $0.body == .ack(duplicate: false) }) else {
                                throw HarnessError("a streamed event was not stored: \(answers.first { $0.body != .ack(duplicate: false) }!)")
                            }
                            streamed.update { $0 += batch.count }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        _ = try await eventually("the streams to be under way") { streamed.value >= 512 ? true : nil }
        let file = daemon.directory.appendingPathComponent("backup.sqlite").path
        let ackedBeforeBackup = streamed.value
        let answer = try await daemon.dcrctl(["backup", "--to", file, "--json"])
        let streamedBeforeAnswer = streamed.value
        stop.update { $0 = true }
        try await streams.value
        #expect(answer.status == 0, "\(answer.stderr)")
        let receipt = try answer.json()
        let events = try #require(receipt["events"] as? Int)
        #expect(events >= early.count + ackedBeforeBackup, "the copy holds every event acknowledged before the backup began")
        #expect(events <= early.count + streamed.value)
        #expect(streamedBeforeAnswer > ackedBeforeBackup, "acknowledgements went on during the backup")

        // The real sqlite3 reads it: whole, and with every acknowledged event.
        #expect(try await ToolRun.sqlite3(file, "PRAGMA integrity_check") == "ok")
        let ids = Set(try await ToolRun.sqlite3(file, "SELECT hex(event_id) FROM events").split(separator: "\n").map(String.init))
        #expect(ids.count == events)
        #expect(early.filter { !ids.contains(Self.hex($0.id)) }.isEmpty, "an event acknowledged before the backup is missing")
        #expect(try await ToolRun.sqlite3(file, "SELECT count(*) FROM events WHERE client IS NULL AND kind IN (1, 4)") == "0")
        #expect(!Self.files(daemon.directory).contains { $0.hasPrefix(".dcr-backup-partial-") }, "no temporary file is left")
        #expect(try await ToolRun.sqlite3(file, "SELECT count(*) FROM meta WHERE key = 'key_fingerprint'") == "1")
        // The key is not in the copy: its 32 bytes appear nowhere in the file.
        let key = try Data(contentsOf: URL(fileURLWithPath: daemon.keyPath))
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)).range(of: key) == nil)

        let status = try await daemon.dcrctl(["status", "--json"]).json()
        let last = try #require(status["last_backup"] as? [String: Any])
        #expect(last["result"] as? String == "ok" && last["path"] as? String == file && last["events"] as? Int == events)
        #expect(try await daemon.dcrctl(["status"]).stdout.contains("last backup      ok"))
        // A backup never replaces a file.
        let again = try await daemon.dcrctl(["backup", "--to", file])
        #expect(again.status == 65 && again.stderr.contains("the file exists"), "\(again.stderr)")
        #expect(try await daemon.stop() == 0)

        // Restore into another state directory with the same key; the next start replays it.
        let restored = try DaemonProcess()
        defer { restored.cleanUp() }
        try key.write(to: URL(fileURLWithPath: restored.keyPath))
        chmod(restored.keyPath, 0o600)
        let r = try await ToolRun.dcrd(["--config", restored.configPath, "--restore", file])
        #expect(r.status == 0, "\(r)")
        #expect(r.out.contains("restored \(events) events"), "\(r.out)")
        try await restored.start()
        let restoredStatus = try await restored.dcrctl(["status", "--json"]).json()
        let stored = try #require(restoredStatus["events_stored"] as? [String: Int])
        #expect(stored.values.reduce(0, +) == events)
        #expect(try await Self.reports(restored) == original, "reports over the period the backup covers")
    }

    @Test("SIGKILL during a backup leaves nothing under the final name; the next backup there works")
    func killedDuringBackup() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        daemon.extraEnvironment["DCRD_FAULT_BACKUP_PAUSE_MS"] = "60000"
        try await daemon.start()
        var factory = EventFactory(seed: 16, now: Self.earlierNowMs)
        try await daemon.sendAll((0..<3000).map { factory.event($0) })
        let file = daemon.directory.appendingPathComponent("killed.sqlite").path
        let backup = try CLIProcess(["backup", "--to", file, "--socket", daemon.socketPath])
        // The copy is written (under its temporary name) and waits to be checked: kill now.
        let partial = try await eventually("the backup's temporary file") {
            Self.files(daemon.directory).first { $0.hasPrefix(".dcr-backup-partial-killed.sqlite") }
        }
        try await daemon.kill9()
        let exit = try await backup.wait(timeout: .seconds(30))
        #expect(exit == 69, "dcrctl reports the daemon gone: exit \(exit), \(backup.stderr.value)")
        #expect(!FileManager.default.fileExists(atPath: file), "a partial backup under the final name")
        #expect(Self.files(daemon.directory).contains(partial), "the kill came while the copy was being made")

        daemon.extraEnvironment["DCRD_FAULT_BACKUP_PAUSE_MS"] = nil
        try await daemon.start()
        let r = try await daemon.dcrctl(["backup", "--to", file, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try r.json()["events"] as? Int == 3000)
        #expect(try await ToolRun.sqlite3(file, "PRAGMA integrity_check") == "ok")
    }

    @Test("scheduled backups: backup-dir every backup-every seconds, the newest backup-keep kept, shown by status")
    func scheduled() async throws {
        let daemon = try DaemonProcess(configuration: "backup-every 1\nbackup-keep 2")
        defer { daemon.cleanUp() }
        let dir = daemon.directory.appendingPathComponent("backups")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try daemon.writeConfiguration("backup-dir \(dir.path)\nbackup-every 1\nbackup-keep 2")
        try await daemon.start()
        var factory = EventFactory(seed: 17, now: Self.earlierNowMs)
        try await daemon.sendAll((0..<100).map { factory.event($0) })
        _ = try await eventually("three scheduled backups, the oldest deleted", timeout: .seconds(60)) {
            daemon.log.components(separatedBy: "old backup deleted").count > 1 ? true : nil
        }
        let kept = Self.files(dir).filter { $0.hasPrefix("events-") && $0.hasSuffix("Z.sqlite") }.sorted()
        #expect(kept.count == 2, "\(kept)")
        let status = try await daemon.dcrctl(["status", "--json"]).json()
        let last = try #require(status["last_backup"] as? [String: Any])
        #expect(last["result"] as? String == "ok")
        #expect((last["path"] as? String)?.hasPrefix(dir.path + "/events-2026") == true, "named by the daemon's clock: \(last)")
        let newest = try #require(kept.last)
        #expect(try await ToolRun.sqlite3(dir.path + "/" + newest, "PRAGMA integrity_check") == "ok")
    }

    @Test("restore refuses another time zone unless --force, and refuses while dcrd runs")
    func restoreRefusals() async throws {
        let daemon = try DaemonProcess(configuration: "time-zone UTC")
        defer { daemon.cleanUp() }
        try await daemon.start()
        var factory = EventFactory(seed: 18, now: Self.earlierNowMs)
        try await daemon.sendAll((0..<50).map { factory.event($0) })
        let file = daemon.directory.appendingPathComponent("utc.sqlite").path
        #expect(try await daemon.dcrctl(["backup", "--to", file]).status == 0)
        let running = try await ToolRun.dcrd(["--config", daemon.configPath, "--restore", file])
        #expect(running.status == 78 && running.err.contains("a dcrd is running on"), "\(running)")
        #expect(try await daemon.stop() == 0)

        let other = try DaemonProcess()  // Europe/Copenhagen, the default
        defer { other.cleanUp() }
        try FileManager.default.copyItem(atPath: daemon.keyPath, toPath: other.keyPath)
        let refused = try await ToolRun.dcrd(["--config", other.configPath, "--restore", file])
        #expect(refused.status == 78, "\(refused)")
        #expect(refused.err.contains("was made in time zone UTC, this dcrd runs in Europe/Copenhagen"), "\(refused.err)")
        #expect(!FileManager.default.fileExists(atPath: other.stateDirectory + "/events.sqlite"))
        let forced = try await ToolRun.dcrd(["--config", other.configPath, "--restore", file, "--force"])
        #expect(forced.status == 0, "\(forced)")
        // A relative path or a missing file is a clear error, not a crash.
        let missing = try await ToolRun.dcrd(["--config", other.configPath, "--restore", "/nonexistent/backup.sqlite"])
        #expect(missing.status == 1 && missing.err.contains("cannot read /nonexistent/backup.sqlite"), "\(missing)")
    }
}

/// A value several tasks read and change.
final class Shared<Value: Sendable>: Sendable {
    private let state: Mutex<Value>
    init(_ value: Value) { state = Mutex(value) }
    var value: Value { state.withLock { $0 } }
    func update(_ body: (inout Value) -> Void) { state.withLock { body(&$0) } }
}
