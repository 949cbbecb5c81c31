import DCRModel
import DCRTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 18, acceptance 3: `make run`'s demo (scripts/run-demo, as `make run` starts it) is alive
/// at any hour. The wall clock is injected (DCR_DEMO_NOW_MS) at 23:00 and at 04:00; the room clock
/// starts at a busy hour anyway, and a minute of the live demo moves booths and counts intakes.
@Suite("make run's demo at any hour")
struct DemoTests {
    static let zone = "Europe/Copenhagen"
    static let calendar = LocalCalendar(identifier: zone)!

    struct Case: Sendable, CustomStringConvertible {
        var wall: String          // the injected wall clock, local time
        var wallMs: Int64
        var roomDate: String      // the day the room clock must start on (its 14:00)
        var description: String { "wall clock \(wall)" }
    }

    /// Thursday 2026-03-12 23:00 (the room starts that day at 14:00) and Saturday 2026-03-14 04:00
    /// (the room starts on Friday 2026-03-13 at 14:00). Copenhagen is UTC+1 in March before the 29th.
    static let cases = [
        Case(wall: "2026-03-12 23:00", wallMs: 1_773_352_800_000, roomDate: "2026-03-12"),
        Case(wall: "2026-03-14 04:00", wallMs: 1_773_457_200_000, roomDate: "2026-03-13"),
    ]

    struct Seen: Sendable {
        var booths: [Int] = []
        var newIntakes = 0
        var roomHours: [Int] = []
        var output = ""
        var exitStatus: Int32 = -1
    }

    @Test("at 23:00 and at 04:00 (injected), 60 s of the demo: booths taken change and at least 20 new intakes are counted")
    func aliveAtAnyHour() async throws {
        // Both minutes at once: they are real time, and the demo uses little CPU.
        let results = try await withThrowingTaskGroup(of: (Case, Seen).self) { group in
            for c in Self.cases { group.addTask { (c, try await Self.runDemo(c)) } }
            var all: [(Case, Seen)] = []
            for try await r in group { all.append(r) }
            return all
        }
        for (c, seen) in results {
            #expect(Set(seen.booths).count >= 2, "\(c): booths taken never changed: \(seen.booths)\n\(seen.output)")
            #expect(seen.newIntakes >= 20, "\(c): \(seen.newIntakes) new intakes in 60 s\n\(seen.output)")
            // The daemon's live views follow the room clock: a busy afternoon hour, not the wall clock's.
            #expect(seen.roomHours.allSatisfy { (14..<16).contains($0) }, "\(c): daemon hours \(seen.roomHours)")
            // The dates it prints are the room's: four weeks up to the room's day.
            #expect(seen.output.contains("--to \(c.roomDate) "), "\(c):\n\(seen.output)")
            #expect(seen.output.contains("room clock: "), "\(c):\n\(seen.output)")
            #expect(seen.exitStatus == 0, "\(c): run-demo exited \(seen.exitStatus) after Ctrl-C\n\(seen.output)")
            #expect(seen.output.contains("dcrd stopped"), "\(c):\n\(seen.output)")
        }
    }

    /// Runs scripts/run-demo on a private socket and state directory until the live run has
    /// started, watches it for 60 s, then stops it with SIGINT (Ctrl-C).
    static func runDemo(_ c: Case) async throws -> Seen {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dcr-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let socket = dir.appendingPathComponent("dcrd.sock").path
        let outPath = dir.appendingPathComponent("run-demo.out").path
        var env = ProcessInfo.processInfo.environment
        for name in ["NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "WATCHDOG_USEC", "WATCHDOG_PID",
                     "DCRD_TEST_CLOCK_START_MS", "DCR_DEMO_ROOM_CLOCK"] {
            env.removeValue(forKey: name)
        }
        env["DCR_BIN_DIR"] = DaemonProcess.binaryDirectory.path
        env["DCR_DEMO_NOW_MS"] = String(c.wallMs)
        env["DCR_DEMO_SOCKET"] = socket
        env["DCR_DEMO_STATE"] = dir.appendingPathComponent("state").path
        env["DCR_DEMO_CONFIG_HOME"] = dir.appendingPathComponent("config").path
        env["DCR_DEMO_LOG"] = dir.appendingPathComponent("dcrd.log").path
        env["DCR_DEMO_WEEKS"] = "1"
        let script = DaemonProcess.repositoryRoot.appendingPathComponent("scripts/run-demo").path
        let demo = try ChildProcess(executable: "/bin/bash", arguments: [script], environment: env,
                                    stdout: .file(outPath), stderr: .file(outPath), newProcessGroup: true)
        // On any way out, nothing of the demo (dcrd, the simulator) outlives the test.
        defer { demo.signalGroup(SIGKILL); if demo.isRunning { demo.waitUntilExit() } }
        var seen = Seen()
        func output() -> String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }

        // The simulator prints one line when its live run starts (after the backfill).
        _ = try await eventually("run-demo's live run to start (\(c))", timeout: .seconds(180), every: .milliseconds(100)) {
            if !demo.isRunning { throw HarnessError("run-demo exited early (\(c)):\n\(output())") }
            return output().split(separator: "\n").contains { $0.hasPrefix("simulate ") && $0.contains("; live ") } ? true : nil
        }
        func status() async throws -> [String: Any] {
            let r = try await DaemonProcess.runDcrctl(["status", "--json", "--socket", socket])
            guard r.status == 0, let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else {
                throw HarnessError("dcrctl status (\(c)): \(r.status) \(r.stderr)")
            }
            return o
        }
        func intakes() async throws -> Int {
            ((try await status())["events_stored"] as? [String: Any])?["intake"] as? Int ?? -1
        }
        func sample() async throws {
            let r = try await DaemonProcess.runDcrctl(["load", "--json", "--socket", socket])
            guard r.status == 0, let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
                  let sites = o["sites"] as? [[String: Any]], let ms = o["server_time_ms"] as? Int else {
                throw HarnessError("dcrctl load (\(c)): \(r.status) \(r.stderr)")
            }
            seen.booths.append(sites.compactMap { $0["booths_taken"] as? Int }.reduce(0, +))
            seen.roomHours.append(Self.calendar.localTime(ms: Int64(ms)).hour)
        }

        let before = try await intakes()
        let end = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < end {
            try await sample()
            try await Task.sleep(until: min(end, ContinuousClock.now + .seconds(3)), clock: .continuous)
        }
        try await sample()
        seen.newIntakes = try await intakes() - before

        demo.signal(SIGINT)
        seen.exitStatus = try await eventually("run-demo to stop after SIGINT (\(c))", timeout: .seconds(60)) {
            demo.isRunning ? nil : demo.terminationStatus
        }
        seen.output = output()
        return seen
    }
}
