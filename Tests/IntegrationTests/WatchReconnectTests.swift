import DCRClient
import DCRModel
import DCRWire
import Foundation
import Testing

/// `dcrctl watch --json` across a daemon restart.
///
/// The rule checked, line by line: every line is a fresh answer from a running daemon. The
/// daemon's clock moves on across the restart (the second start's test clock begins a minute
/// later, as a real clock would), so server_time_ms strictly increases over every line — no
/// line repeats or replays an older one; the daemon's start (server_time_ms − uptime_ms) is the
/// same on every line of one run and changes exactly once, at the reconnection, where uptime
/// starts again; every line after it comes from the new daemon
/// (server_time_ms at or after its start); nothing is printed while the daemon is away; and the
/// counts never go back (acknowledged events survive the restart) and end at what was sent.
@Suite("dcrctl watch across a daemon restart", .serialized)
struct WatchReconnectTests {
    struct Line {
        var serverTimeMs: Int64
        var uptimeMs: Int64
        var intakesToday: Int
    }

    static func parse(_ text: String) throws -> Line {
        let o = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let sites = try #require(o["sites"] as? [[String: Any]])
        let h17 = try #require(sites.first { $0["site"] as? String == "H17" })
        return Line(serverTimeMs: try #require((o["server_time_ms"] as? NSNumber)?.int64Value),
                    uptimeMs: try #require((o["uptime_ms"] as? NSNumber)?.int64Value),
                    intakesToday: try #require((h17["intakes_today"] as? NSNumber)?.intValue))
    }

    static func intakes(_ n: Int, from first: Int, at ms: Int64) -> [Request.Body] {
        (first..<first + n).map { i in
            .event(.intake(Intake(header: EventHeader(id: .random(), site: "H17", occurredAtMs: ms, booth: UInt32(i % 12) + 1),
                                  client: .code(ClientCode("w-\(i)")), gender: .male, age: 40, substance: .heroin, route: .injection)))
        }
    }

    @Test("reconnects by itself and no line presents old numbers as new")
    func restart() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let start1 = DaemonProcess.testClockStartMs
        var terminal = try await daemon.connect(role: .terminal)
        #expect(try await terminal.sendAll(Self.intakes(3, from: 0, at: start1)).allSatisfy { $0.error == nil })
        await terminal.close()

        let watch = try CLIProcess(["watch", "--json", "--interval", "0.2", "--socket", daemon.socketPath])
        defer { watch.terminate() }
        _ = try await eventually("a line with 3 intakes") { try watch.stdout.lines.last.map(Self.parse)?.intakesToday == 3 ? true : nil }

        try await daemon.stop()
        _ = try await eventually("watch to say it lost the daemon") { watch.stderr.value.contains("reconnecting…") ? true : nil }
        let beforeRestart = watch.stdout.lines.count

        // The second run's clock starts a minute later, as a real clock would have moved on.
        let start2 = start1 + 60_000
        daemon.extraEnvironment["DCRD_TEST_CLOCK_START_MS"] = String(start2)
        try await daemon.start()
        _ = try await eventually("watch to reconnect") { watch.stderr.value.contains("reconnected to unix:") ? true : nil }
        terminal = try await daemon.connect(role: .terminal)
        #expect(try await terminal.sendAll(Self.intakes(2, from: 3, at: start2)).allSatisfy { $0.error == nil })
        await terminal.close()
        _ = try await eventually("a line with 5 intakes") { try watch.stdout.lines.last.map(Self.parse)?.intakesToday == 5 ? true : nil }
        watch.terminate()

        let lines = try watch.stdout.lines.map(Self.parse)
        #expect(lines.count > beforeRestart)
        var restarts: [Int] = []
        for (i, (a, b)) in zip(lines, lines.dropFirst()).enumerated() {
            #expect(b.serverTimeMs > a.serverTimeMs, "line \(i + 1) is not newer than line \(i)")
            #expect(b.intakesToday >= a.intakesToday, "line \(i + 1) lost acknowledged intakes")
            // The daemon's start on its own clock: the same for every line of one run.
            if abs((b.serverTimeMs - b.uptimeMs) - (a.serverTimeMs - a.uptimeMs)) > 1000 { restarts.append(i + 1) }
        }
        #expect(restarts == [beforeRestart], "a new daemon run began at \(restarts), the restart was at line \(beforeRestart)")
        #expect(lines[beforeRestart].uptimeMs < lines[beforeRestart].serverTimeMs - start1, "uptime started again")
        #expect(lines[..<beforeRestart].allSatisfy { $0.serverTimeMs < start2 && $0.intakesToday == 3 })
        #expect(lines[beforeRestart...].allSatisfy { $0.serverTimeMs >= start2 && $0.intakesToday >= 3 })
        #expect(lines.last?.intakesToday == 5)
        // stderr: one line for the loss, one for the return; no retry noise in between.
        let said = watch.stderr.value.split(separator: "\n")
        #expect(said.count == 2, "\(said)")
        #expect(said.first?.hasSuffix("; reconnecting…") == true)
        #expect(said.last == "dcrctl: reconnected to unix:\(daemon.socketPath) (dcrd 0.1.0)")
    }
}
