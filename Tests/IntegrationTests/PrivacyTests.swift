import DCRClient
import DCRModel
import DCRWire
import Foundation
import Testing

/// Issue 3, acceptance 4: a client code sent to the daemon is found nowhere it keeps or says
/// anything, while reports still count the client once.
@Suite("A planted client code leaves no trace in the real dcrd", .serialized)
struct PrivacyTests {
    static let code = "PLANTED-c0de-7f3a"

    /// The code as bytes, and the spellings a careless encoder might produce.
    static var needles: [[UInt8]] {
        [code, code.lowercased(), code.uppercased(), Data(code.utf8).base64EncodedString(),
         Data(code.utf8).map { String(format: "%02x", $0) }.joined()].map { Array($0.utf8) }
            + [Array(code.utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }]
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard needle.count <= haystack.count, let first = needle.first else { return false }
        var i = 0
        while i <= haystack.count - needle.count {
            if haystack[i] == first && Array(haystack[i..<i + needle.count]) == needle { return true }
            i += 1
        }
        return false
    }

    static func leaks(_ bytes: [UInt8]) -> Bool { needles.contains { contains(bytes, $0) } }

    /// Every regular file under the state directory, with its bytes.
    static func stateFiles(_ path: String) -> [(String, [UInt8])] {
        let files = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String]) ?? []
        return files.compactMap { name in
            let full = path + "/" + name
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue,
                  let data = FileManager.default.contents(atPath: full) else { return nil }
            return (name, Array(data))
        }
    }

    @Test("the code is in no state file, log line (debug level) or answer; `report clients` counts it once")
    func plantedCodeLeavesNoTrace() async throws {
        let daemon = try DaemonProcess(configuration: "log-level debug")
        defer { daemon.cleanUp() }
        try await daemon.start()
        let now = DaemonProcess.testClockStartMs
        var factory = EventFactory(seed: 404)
        func header(_ k: Int, site: String = "H17") -> EventHeader {
            EventHeader(id: factory.id(), site: site, occurredAtMs: now - Int64(k) * 60_000, booth: UInt32(k % 12) + 1)
        }
        let planted = ClientRef.code(ClientCode(Self.code))
        var valid: [Event] = []
        for k in 0..<20 {
            valid.append(.intake(Intake(header: header(k), client: planted, gender: .female, age: 31,
                                        municipality: 101, substance: .heroin, route: .injection)))
        }
        for k in 0..<5 {
            valid.append(.incident(Incident(header: header(k), kind: .overdose, victimGender: .female, victimRole: .client,
                                            client: planted)))
            valid.append(.referral(Referral(header: header(k), client: planted, gender: .female, target: .housing)))
        }
        let invalid: [Event] = [
            .intake(Intake(header: header(1), client: planted, gender: .female, age: 214, substance: .heroin, route: .injection)),
            .intake(Intake(header: header(1, site: "NOWHERE"), client: planted, gender: .female, age: 31, substance: .heroin, route: .injection)),
            .incident(Incident(header: header(1, site: "NOWHERE"), kind: .violence, victimGender: .male, victimRole: .client, client: planted)),
            .referral(Referral(header: EventHeader(id: factory.id(), site: "H17", occurredAtMs: now + 3_600_000, booth: 1),
                               client: planted, gender: .female, target: .housing)),
        ]

        var answerBytes: [UInt8] = []
        let terminal = try await daemon.connect(role: .terminal, tcp: true)
        for a in try await terminal.sendAll(valid.map { .event($0) }) {
            #expect(a.body == .ack(duplicate: false), "\(a)")
            answerBytes += Array("\(a)".utf8)
        }
        for a in try await terminal.sendAll(invalid.map { .event($0) }) {
            #expect(a.error != nil, "an invalid event was accepted: \(a)")
            answerBytes += Array((a.error?.message ?? "").utf8) + Array("\(a)".utf8)
        }
        // A resend: the duplicate path too.
        for a in try await terminal.sendAll(valid.prefix(3).map { .event($0) }) {
            #expect(a.body == .ack(duplicate: true))
        }
        // The same code through dcrctl (its output and error texts are answers too).
        let viaCLI = try await daemon.dcrctl(["send", "intake", "--site", "H17", "--booth", "2", "--at-ms", String(now - 1000),
                                              "--client-code", Self.code, "--gender", "female", "--age", "31"])
        #expect(viaCLI.status == 0, "\(viaCLI.stderr)")
        let badCLI = try await daemon.dcrctl(["send", "intake", "--site", "H17", "--booth", "2", "--at-ms", String(now - 1000),
                                              "--client-code", Self.code, "--age", "214"])
        #expect(badCLI.status != 0)
        answerBytes += Array((viaCLI.stdout + viaCLI.stderr + badCLI.stdout + badCLI.stderr).utf8)
        await terminal.close()

        // The answers of a monitor, as JSON from dcrctl.
        let day = "2026-03-13"
        let commands: [[String]] = [
            ["status", "--json"], ["load", "--json"], ["load", "--site", "H17", "--json"],
            ["report", "clients", "--from", day, "--to", day, "--json"],
            ["report", "clients", "--from", day, "--to", day, "--by", "site,gender", "--json"],
            ["report", "intakes", "--from", day, "--to", day, "--by", "substance,route", "--json"],
            ["report", "incidents", "--from", day, "--to", day, "--by", "incident-kind", "--json"],
            ["report", "referrals", "--from", day, "--to", day, "--json"],
        ]
        var clientsTotal: Int?
        for args in commands {
            let r = try await daemon.dcrctl(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            answerBytes += Array((r.stdout + r.stderr).utf8)
            if args == commands[3] { clientsTotal = try r.json()["total"] as? Int }
        }
        #expect(clientsTotal == 1, "report clients counts the planted client once")

        #expect(!Self.leaks(answerBytes), "the code appears in an answer")
        // The state directory while the daemon runs (WAL and shared memory included) …
        let running = Self.stateFiles(daemon.stateDirectory)
        #expect(running.contains { $0.0.hasSuffix("-wal") })
        for (name, bytes) in running { #expect(!Self.leaks(bytes), "the code is in \(name)") }
        #expect(try await daemon.stop() == 0)
        // … and after it stopped; and the whole log, at debug level.
        let stopped = Self.stateFiles(daemon.stateDirectory)
        #expect(stopped.contains { $0.0 == "events.sqlite" })
        // Key custody: the key is beside the state directory, never in it.
        #expect(!stopped.contains { $0.0.hasSuffix(".key") } && FileManager.default.fileExists(atPath: daemon.keyPath))
        for (name, bytes) in stopped { #expect(!Self.leaks(bytes), "the code is in \(name)") }
        let log = daemon.log
        #expect(log.contains("debug") || log.split(separator: "\n").count > 3, "the log has lines")
        #expect(!Self.leaks(Array(log.utf8)), "the code is in dcrd's log")
        // The events really went in (the search was not of an empty store).
        #expect(stopped.first { $0.0 == "events.sqlite" }.map { $0.1.count > 4096 } == true)
    }
}
