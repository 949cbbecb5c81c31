import DCRModel
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// The real `dcrctl` binary as a subprocess: exit codes, the one-line error, and `--json` output
/// parsed with Foundation's JSONSerialization.
@Suite("dcrctl as scripts use it, against the real dcrd", .serialized)
struct DcrctlTests {
    struct Run: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status)\nstdout: \(stdout)\nstderr: \(stderr)" }

        /// stdout as one JSON object.
        func json(sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
            guard let dict = object as? [String: Any] else { throw HarnessError("not a JSON object: \(stdout)") }
            #expect(dict["version"] as? Int == 1, "no \"version\": 1 in \(stdout)", sourceLocation: sourceLocation)
            return dict
        }
    }

    static func dcrctl(_ arguments: [String], timeout: Duration = .seconds(30)) async throws -> Run {
        let r = try await DaemonProcess.runDcrctl(arguments, timeout: timeout)
        return Run(status: r.status, stdout: r.stdout, stderr: r.stderr)
    }

    static let at = String(DaemonProcess.testClockStartMs - 60_000)

    private func expectOneLine(_ run: Run, naming address: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(run.status == 69, "\(run)", sourceLocation: sourceLocation)
        #expect(run.stdout.isEmpty, "\(run)", sourceLocation: sourceLocation)
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 2 && lines[1].isEmpty, "not one line: \(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains(address), "\(run.stderr)", sourceLocation: sourceLocation)
        #expect(run.stderr.contains("is dcrd running?"), "\(run.stderr)", sourceLocation: sourceLocation)
    }

    // MARK: daemon not reachable

    @Test("nothing listening: one line naming the address and \"is dcrd running?\", exit 69")
    func nothingListens() async throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dcrctl-none-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("dcrd.sock").path
        for args in [["status"], ["status", "--json"], ["load", "--json"],
                     ["send", "release", "--site", "H17", "--booth", "1", "--at-ms", Self.at, "--json"],
                     ["report", "intakes", "--from", "2026-03-13", "--to", "2026-03-13", "--json"]] {
            expectOneLine(try await Self.dcrctl(args + ["--socket", missing]), naming: missing)
        }

        // A stale socket file: bound once, nobody listening now (ECONNREFUSED, not ENOENT).
        let stale = dir.appendingPathComponent("stale.sock").path
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in stale.utf8.enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(fd)
        #expect(bound == 0)
        expectOneLine(try await Self.dcrctl(["status", "--socket", stale]), naming: stale)
    }

    @Test("a daemon that was stopped: exit 69 on its Unix socket and on its TCP port")
    func stoppedDaemon() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        #expect(try await Self.dcrctl(["status", "--socket", daemon.socketPath]).status == 0)
        let port = daemon.tcpPort
        #expect(try await daemon.stop() == 0)
        expectOneLine(try await Self.dcrctl(["status", "--socket", daemon.socketPath]), naming: daemon.socketPath)
        let tcp = "tcp:127.0.0.1:\(port)"
        expectOneLine(try await Self.dcrctl(["load", "--json", "--connect", tcp]), naming: tcp)
    }

    // MARK: --json against a real daemon

    @Test("send, status, load and report --json parse and count what was sent")
    func jsonOutput() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let socket = ["--socket", daemon.socketPath]
        let id = "6F1C2A5E-3B7D-4C8E-9A0B-1D2E3F405162"

        let intake = try await Self.dcrctl(["send", "intake", "--site", "H17", "--booth", "3", "--at-ms", Self.at,
                                            "--event-id", id, "--client-code", "cli-1", "--gender", "female",
                                            "--age", "34", "--substance", "heroin", "--route", "smoking", "--json"] + socket)
        #expect(intake.status == 0, "\(intake)")
        let ack = try intake.json()
        #expect(ack["duplicate"] as? Bool == false)
        #expect((ack["event_id"] as? String)?.uppercased() == id)

        let again = try await Self.dcrctl(["send", "intake", "--site", "H17", "--booth", "3", "--at-ms", Self.at,
                                           "--event-id", id, "--client-code", "cli-1", "--json"] + socket)
        #expect(again.status == 0, "\(again)")
        #expect(try again.json()["duplicate"] as? Bool == true)

        let others: [[String]] = [
            ["send", "intake", "--site", "SKYEN", "--booth", "2", "--client-code", "cli-2", "--age", "51"],
            ["send", "release", "--site", "SKYEN", "--booth", "2"],
            ["send", "incident", "--site", "H17", "--kind", "overdose", "--victim-role", "client",
             "--overdose-response", "naloxone"],
            ["send", "referral", "--site", "MOBILE", "--client-code", "cli-1", "--target", "housing"],
        ]
        for args in others {
            let r = try await Self.dcrctl(args + ["--at-ms", Self.at, "--json"] + socket)
            #expect(r.status == 0, "\(r)")
            #expect(try r.json()["duplicate"] as? Bool == false)
        }

        let status = try await Self.dcrctl(["status", "--json"] + socket)
        #expect(status.status == 0, "\(status)")
        let s = try status.json()
        let stored = s["events_stored"] as? [String: Any]
        #expect(stored?["intake"] as? Int == 2, "\(status.stdout)")
        #expect(stored?["release"] as? Int == 1)
        #expect(stored?["incident"] as? Int == 1)
        #expect(stored?["referral"] as? Int == 1)
        #expect(s["duplicates"] as? Int == 1)
        #expect(s["config_state"] as? String == "ok")
        #expect((s["server_time_ms"] as? Int).map { $0 >= DaemonProcess.testClockStartMs } == true)
        #expect(s["rejected_frames"] is [String: Any])

        let load = try await Self.dcrctl(["load", "--json"] + socket)
        #expect(load.status == 0, "\(load)")
        let sites = try load.json()["sites"] as? [[String: Any]] ?? []
        let bySite = Dictionary(uniqueKeysWithValues: sites.compactMap { s in (s["site"] as? String).map { ($0, s) } })
        #expect(Set(bySite.keys) == ["H17", "SKYEN", "MOBILE"])
        #expect(bySite["H17"]?["booths_taken"] as? Int == 1)
        #expect(bySite["H17"]?["capacity"] as? Int == 12)
        #expect(bySite["H17"]?["intakes_today"] as? Int == 1)
        #expect(bySite["H17"]?["intakes_5m"] as? Int == 1)
        #expect(bySite["H17"]?["incidents_today"] as? Int == 1)
        #expect(bySite["SKYEN"]?["booths_taken"] as? Int == 0, "intake then release")
        #expect(bySite["SKYEN"]?["intakes_today"] as? Int == 1)
        #expect(bySite["MOBILE"]?["referrals_today"] as? Int == 1)
        #expect((bySite["H17"]?["intakes_per_minute"] as? [Any])?.count == 60)

        let one = try await Self.dcrctl(["load", "--site", "SKYEN", "--json"] + socket)
        #expect((try one.json()["sites"] as? [[String: Any]])?.compactMap { $0["site"] as? String } == ["SKYEN"])

        let report = try await Self.dcrctl(["report", "intakes", "--from", "2026-03-13", "--to", "2026-03-13",
                                            "--by", "site", "--json"] + socket)
        #expect(report.status == 0, "\(report)")
        let rep = try report.json()
        #expect(rep["measure"] as? String == "intakes")
        #expect(rep["total"] as? Int == 2)
        #expect(rep["estimate"] as? Bool == false)
        let rows = (rep["rows"] as? [[String: Any]] ?? []).map { ($0["keys"] as? [String] ?? [], $0["count"] as? Int ?? -1) }
        #expect(rows.map(\.0) == [["H17"], ["SKYEN"]])
        #expect(rows.map(\.1) == [1, 1])

        let scaled = try await Self.dcrctl(["report", "incidents", "--from", "2026-03-13", "--to", "2026-03-13",
                                            "--by", "incident-kind", "--scale", "12", "--json"] + socket)
        let sc = try scaled.json()
        #expect(sc["total"] as? Int == 1)
        #expect(sc["estimate"] as? Bool == true)
        #expect((sc["rows"] as? [[String: Any]])?.first?["estimate"] as? Double == 12)
        #expect(try await daemon.stop() == 0)
    }

    @Test("the daemon's refusals exit 65 with one line naming the field; bad usage exits 64")
    func refusals() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let socket = ["--socket", daemon.socketPath]
        let bad = try await Self.dcrctl(["send", "intake", "--site", "H17", "--booth", "1", "--at-ms", Self.at,
                                         "--client-code", "c", "--age", "214", "--json"] + socket)
        #expect(bad.status == 65, "\(bad)")
        #expect(bad.stdout.isEmpty)
        #expect(bad.stderr.contains("intake.age"), "\(bad.stderr)")
        #expect(bad.stderr.contains("214"), "\(bad.stderr)")
        #expect(bad.stderr.split(separator: "\n").count == 1, "\(bad.stderr)")

        let site = try await Self.dcrctl(["send", "release", "--site", "NOPE", "--booth", "1", "--at-ms", Self.at] + socket)
        #expect(site.status == 65, "\(site)")
        #expect(site.stderr.contains("site"), "\(site.stderr)")

        let report = try await Self.dcrctl(["report", "intakes", "--from", "2026-03-13", "--to", "2026-03-13", "--site", "NOPE", "--json"] + socket)
        #expect(report.status == 65, "\(report)")

        // Nothing was counted.
        let s = try await Self.dcrctl(["status", "--json"] + socket).json()
        #expect((s["events_stored"] as? [String: Any])?.values.compactMap { $0 as? Int }.reduce(0, +) == 0)
        #expect(s["invalid_events"] as? Int == 2)

        // Bad usage is the CLI's own business: 64, no daemon needed.
        let usage = try await Self.dcrctl(["send", "intake", "--site", "H17", "--client-code", "c", "--gender", "tall"] + socket)
        #expect(usage.status == 64, "\(usage)")
    }

    @Test("--help of every command exits 0 and prints a usage", arguments: [
        [], ["status"], ["load"], ["watch"], ["report"], ["send"],
        ["send", "intake"], ["send", "release"], ["send", "incident"], ["send", "referral"],
    ])
    func help(command: [String]) async throws {
        let r = try await Self.dcrctl(command + ["--help"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("USAGE: dcrctl"), "\(r)")
        #expect(r.stdout.contains(command.last ?? "dcrctl"), "\(r)")
    }
}
