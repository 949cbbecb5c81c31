import DCRClient
import DCRModel
import DCRWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 11: terminals on the room's network speak mutual TLS to the real `dcrd`, with
/// certificates made by openssl in the test's directory.
@Suite("TLS with client certificates on the real dcrd", .serialized)
struct TLSTests {
    /// A daemon with a TLS listener, and the certificates it trusts.
    static func start(_ extra: String = "", environment: [String: String] = [:]) async throws -> (DaemonProcess, TestCertificates) {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dcr-tls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let certs = try TestCertificates(in: dir)
        let daemon = try DaemonProcess(configuration: certs.configuration + "\n" + extra, directory: dir)
        daemon.extraEnvironment = environment
        try await daemon.start()
        #expect(daemon.tlsPort != 0, "the ready line names the TLS port: \(daemon.log)")
        return (daemon, certs)
    }

    static func tls(_ daemon: DaemonProcess, _ certs: TestCertificates, _ name: String?, port: Int? = nil,
                    role: Role = .unspecified, token: String = "") async throws -> DaemonConnection {
        try await DaemonConnection.connect(to: .tls(host: "127.0.0.1", port: port ?? daemon.tlsPort), tls: certs.client(name),
                                           hello: Hello(clientName: "tls-test", role: role, credential: token))
    }

    static func stored(_ daemon: DaemonProcess) async throws -> UInt64 {
        let monitor = try await daemon.connect(role: .monitor)
        defer { Task { await monitor.close() } }
        guard case .status(let s) = try await monitor.send(.status).body else { throw HarnessError("no status") }
        return s.eventsStored.values.reduce(0, +)
    }

    @Test("the granted role follows the certificate: a terminal's events are acknowledged and counted, a monitor's certificate may read but not send")
    func roleFollowsCertificate() async throws {
        let (daemon, certs) = try await Self.start()
        defer { daemon.cleanUp() }
        let terminal = try await Self.tls(daemon, certs, "booth-h17-1")
        #expect(terminal.welcome.grantedRole == .terminal)
        var factory = EventFactory(seed: 11)
        let events = (0..<10).map { Request.Body.event(factory.event($0)) }
        let answers = try await terminal.sendAll(events)
        #expect(answers.allSatisfy { $0.body == .ack(duplicate: false) }, "\(answers)")
        #expect(try await Self.stored(daemon) == 10)

        let monitor = try await Self.tls(daemon, certs, "dashboard")
        #expect(monitor.welcome.grantedRole == .monitor)
        let refused = try await monitor.send(.event(factory.event(20)))
        #expect(refused.error?.code == .permissionDenied, "\(refused)")
        guard case .status(let s) = try await monitor.send(.status).body else { Issue.record("no status"); return }
        #expect(s.tlsCertificateExpiresMs > DaemonProcess.testClockStartMs, "status carries the server certificate's expiry")
        #expect(!s.plaintextTCPOffLoopback)
        // A terminal certificate does not become an admin by asking.
        await #expect(throws: ClientError.self) { _ = try await Self.tls(daemon, certs, "booth-h17-1", role: .admin) }
        // A token on top, for sites that want both: a valid one narrows nothing here, a wrong one is refused.
        let both = try await Self.tls(daemon, certs, "booth-h17-1", token: DaemonProcess.terminalToken)
        #expect(both.welcome.grantedRole == .terminal)
        await #expect(throws: ClientError.self) { _ = try await Self.tls(daemon, certs, "booth-h17-1", token: "not-a-token-of-this-daemon") }

        // dcrctl over TLS: status shows the certificate's expiry.
        let status = try await CLIProcess.run(["status"] + certs.dcrctlOptions(port: daemon.tlsPort, "dashboard"))
        #expect(status.status == 0, "\(status.err)")
        #expect(status.out.contains("tls certificate  expires 20") && status.out.contains("days left"), "\(status.out)")
        await terminal.close(); await monitor.close(); await both.close()
        #expect(try await Self.stored(daemon) == 10)
        #expect(try await daemon.stop() == 0)
    }

    @Test("refused in the handshake, each with one log line and nothing stored: no certificate, another CA, expired, unknown name, plain TCP, TLS 1.1")
    func refusals() async throws {
        let (daemon, certs) = try await Self.start()
        defer { daemon.cleanUp() }
        let cases: [(String, String, () async throws -> Void)] = [
            ("no client certificate", "reason=tls_no_client_certificate", { _ = try await Self.tls(daemon, certs, nil) }),
            ("another CA", "reason=tls_certificate_not_accepted", { _ = try await Self.tls(daemon, certs, "booth-foreign") }),
            ("expired", "reason=tls_certificate_not_accepted", { _ = try await Self.tls(daemon, certs, "booth-old") }),
            ("unknown name", "reason=tls_unknown_name", { _ = try await Self.tls(daemon, certs, "stranger") }),
            ("plain TCP on the TLS port", "reason=tls_not_tls", {
                _ = try await DaemonConnection.connect(to: .tcp(host: "127.0.0.1", port: daemon.tlsPort),
                                                       hello: Hello(clientName: "plain", role: .terminal, credential: DaemonProcess.terminalToken))
            }),
        ]
        for (what, reason, attempt) in cases {
            let before = daemon.log.split(separator: "\n").count
            await #expect(throws: (any Error).self, "\(what) must be refused") { try await attempt() }
            let line = try await daemon.waitForLog(containing: reason, after: before)
            #expect(line.contains("tls handshake refused"), "\(what): \(line)")
            let refusals = daemon.log.split(separator: "\n").dropFirst(before).filter { $0.contains("tls handshake refused") }
            #expect(refusals.count == 1, "\(what): exactly one line: \(refusals)")
            #expect(!daemon.log.split(separator: "\n").dropFirst(before).contains { $0.contains("BoringSSL") || $0.contains("sslError") },
                    "\(what): no error stack in the log")
        }
        let unknown = daemon.log.split(separator: "\n").first { $0.contains("tls_unknown_name") } ?? ""
        #expect(unknown.contains("stranger"), "the unknown name is named: \(unknown)")

        // TLS 1.1 from openssl's own client, started by the test.
        let before = daemon.log.split(separator: "\n").count
        let old = try Tool.output("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(daemon.tlsPort)", "-tls1_1",
                                                       "-cipher", "DEFAULT:@SECLEVEL=0", "-CAfile", certs.path("ca.pem"),
                                                       "-cert", certs.path("booth-h17-1.pem"), "-key", certs.path("booth-h17-1.key")])
        #expect(old.contains("alert protocol version") && old.contains("Cipher is (NONE)"), "no TLS 1.1 session: \(old)")
        let line = try await daemon.waitForLog(containing: "reason=tls_protocol_too_old", after: before)
        #expect(line.contains("older than 1.2"), "\(line)")

        // TLS 1.2 is accepted (the floor), 1.3 preferred.
        let v12 = try Tool.output("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(daemon.tlsPort)", "-tls1_2", "-CAfile", certs.path("ca.pem"),
                                                       "-cert", certs.path("booth-h17-1.pem"), "-key", certs.path("booth-h17-1.key")])
        #expect(v12.contains("TLSv1.2") && v12.contains("Verify return code: 0"), "\(v12)")
        let v13 = try Tool.output("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(daemon.tlsPort)", "-CAfile", certs.path("ca.pem"),
                                                       "-cert", certs.path("booth-h17-1.pem"), "-key", certs.path("booth-h17-1.key")])
        #expect(v13.contains("TLSv1.3"), "\(v13)")

        #expect(try await Self.stored(daemon) == 0, "no event stored from any refused peer")
        let monitor = try await daemon.connect(role: .monitor)
        guard case .status(let s) = try await monitor.send(.status).body else { Issue.record("no status"); return }
        #expect(s.rejectedFrames["tls_certificate_not_accepted"] == 2 && s.rejectedFrames["tls_unknown_name"] == 1, "\(s.rejectedFrames)")
        await monitor.close()
        #expect(try await daemon.stop() == 0)
    }

    @Test("a capture of the TLS port holds none of the client codes nor the token; the same capture of plain TCP holds them all")
    func noClientCodesInTheClear() async throws {
        let (daemon, certs) = try await Self.start()
        defer { daemon.cleanUp() }
        let codes = (0..<20).map { "CAPTURE-CODE-\(1000 + $0)" }
        func intakes(_ seed: UInt64) -> [Request.Body] {
            var f = EventFactory(seed: seed)
            return codes.enumerated().map { i, code in
                .event(.intake(Intake(header: EventHeader(id: f.id(), site: "H17", occurredAtMs: DaemonProcess.testClockStartMs, booth: UInt32(i % 12) + 1),
                                      client: .code(ClientCode(code)), gender: .female, age: 30, substance: .heroin, route: .smoking)))
            }
        }
        let overTLS = try RecordingProxy(forwardingTo: daemon.tlsPort)
        defer { overTLS.stop() }
        let terminal = try await Self.tls(daemon, certs, "booth-h17-1", port: overTLS.port, token: DaemonProcess.terminalToken)
        let acks = try await terminal.sendAll(intakes(1))
        #expect(acks.allSatisfy { $0.body == .ack(duplicate: false) })
        await terminal.close()
        #expect(overTLS.bytes.count > 1000, "the proxy saw the conversation (\(overTLS.bytes.count) bytes)")
        for code in codes { #expect(!overTLS.contains(code), "\(code) crossed the TLS port in the clear") }
        #expect(!overTLS.contains(DaemonProcess.terminalToken), "the token crossed the TLS port in the clear")

        // Control: the same proxy on plain TCP sees everything, so the check above can fail.
        let overTCP = try RecordingProxy(forwardingTo: daemon.tcpPort)
        defer { overTCP.stop() }
        let plain = try await DaemonConnection.connect(to: .tcp(host: "127.0.0.1", port: overTCP.port),
                                                       hello: Hello(clientName: "plain", role: .terminal, credential: DaemonProcess.terminalToken))
        let plainAcks = try await plain.sendAll(intakes(2))
        #expect(plainAcks.allSatisfy { $0.body == .ack(duplicate: false) })
        await plain.close()
        for code in codes { #expect(overTCP.contains(code), "control: \(code) is visible on plain TCP") }
        #expect(overTCP.contains(DaemonProcess.terminalToken))
        #expect(try await Self.stored(daemon) == 40)
        #expect(try await daemon.stop() == 0)
    }

    @Test("reload with a renewed certificate: connections stay, new ones see the new certificate; a broken file is refused and the old one stays")
    func reloadRenewsTheCertificate() async throws {
        let (daemon, certs) = try await Self.start()
        defer { daemon.cleanUp() }
        func served() throws -> String {
            let out = try Tool.output("/usr/bin/openssl", ["s_client", "-connect", "127.0.0.1:\(daemon.tlsPort)", "-CAfile", certs.path("ca.pem"),
                                                           "-cert", certs.path("booth-h17-1.pem"), "-key", certs.path("booth-h17-1.key")])
            return try Tool.output("/usr/bin/openssl", ["x509", "-noout", "-fingerprint", "-sha256"], input: out)
        }
        let original = try TestCertificates.fingerprint(ofFile: certs.path("dcrd.pem"))
        #expect(try served() == original)
        let early = try await Self.tls(daemon, certs, "booth-h17-1")
        var factory = EventFactory(seed: 4)
        #expect(try await early.send(.event(factory.event(0))).body == .ack(duplicate: false))

        // Renewed: a new key and certificate under the same names, moved into place.
        try certs.run("server", "dcrd-renewed", "127.0.0.1", "localhost")
        let renewed = try TestCertificates.fingerprint(ofFile: certs.path("dcrd-renewed.pem"))
        #expect(renewed != original)
        #expect(rename(certs.path("dcrd-renewed.key"), certs.path("dcrd.key")) == 0)
        #expect(rename(certs.path("dcrd-renewed.pem"), certs.path("dcrd.pem")) == 0)
        var lines = daemon.log.split(separator: "\n").count
        daemon.signal(SIGHUP)
        try await daemon.waitForLog(containing: "configuration reloaded", after: lines)
        #expect(try await early.send(.event(factory.event(1))).body == .ack(duplicate: false), "the connection from before the reload works")
        #expect(try served() == renewed, "a new connection sees the renewed certificate")
        let late = try await Self.tls(daemon, certs, "booth-h17-1")
        #expect(try await late.send(.event(factory.event(2))).body == .ack(duplicate: false))

        // Broken: a certificate file that is not PEM; refused, the renewed one stays in force.
        try "not a certificate\n".write(toFile: certs.path("dcrd.pem"), atomically: true, encoding: .utf8)
        lines = daemon.log.split(separator: "\n").count
        daemon.signal(SIGHUP)
        let refused = try await daemon.waitForLog(containing: "reload refused", after: lines)
        #expect(refused.contains("tls-certificate") && refused.contains(certs.path("dcrd.pem")), "\(refused)")
        #expect(try await early.send(.event(factory.event(3))).body == .ack(duplicate: false))
        #expect(try await late.send(.event(factory.event(4))).body == .ack(duplicate: false))
        #expect(try served() == renewed, "the certificate in force stays after a refused reload")
        #expect(!daemon.log.contains("closing connection"), "no connection was dropped:\n\(daemon.log)")
        await early.close(); await late.close()
        #expect(try await daemon.stop() == 0)
    }

    @Test("the daemon warns from 30 days before the certificate expires, and status counts the days")
    func expiryWarning() async throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dcr-tls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let certs = try TestCertificates(in: dir)
        let end = try Tool.output("/usr/bin/openssl", ["x509", "-in", certs.path("dcrd.pem"), "-noout", "-enddate", "-dateopt", "iso_8601"])
        let iso = end.replacingOccurrences(of: "notAfter=", with: "").trimmingCharacters(in: .whitespacesAndNewlines).replacingOccurrences(of: " ", with: "T")
        let notAfter = try #require(ISO8601DateFormatter().date(from: iso), "\(end)")
        // The daemon's clock (injected) stands 10 days before the certificate's end.
        let clock = Int64(notAfter.timeIntervalSince1970 * 1000) - 10 * 86_400_000
        let daemon = try DaemonProcess(configuration: certs.configuration, directory: dir)
        defer { daemon.cleanUp() }
        daemon.extraEnvironment = ["DCRD_TEST_CLOCK_START_MS": "\(clock)"]
        try await daemon.start()
        let warning = try await daemon.waitForLog(containing: "the tls-certificate expires in")
        #expect(warning.contains("expires in 9 days") || warning.contains("expires in 10 days"), "\(warning)")
        let status = try await CLIProcess.run(["status", "--socket", daemon.socketPath])
        #expect(status.out.contains("days left"), "\(status.out)")
        #expect(try await daemon.stop() == 0)

        // 8 days of warning: not yet.
        try daemon.writeConfiguration(certs.configuration + "\ntls-expiry-warning-days 8")
        try await daemon.start()
        #expect(!daemon.log.contains("the tls-certificate expires in"), "\(daemon.log)")
        #expect(daemon.log.contains("tls certificate loaded"))
        #expect(try await daemon.stop() == 0)
    }

    @Test("plain tcp: off loopback is refused at start with exit 78 naming tls:, unless allow-plaintext-tcp yes, which warns and shows in status")
    func plaintextOffLoopback() async throws {
        let daemon = try DaemonProcess(configuration: "listen tcp:0.0.0.0:0")
        defer { daemon.cleanUp() }
        try daemon.launch()
        #expect(try await daemon.waitForExit(timeout: .seconds(30)) == 78)
        #expect(daemon.log.contains("tcp:0.0.0.0:0") && daemon.log.contains("tls:0.0.0.0:0") && daemon.log.contains("allow-plaintext-tcp yes"), "\(daemon.log)")
        let check = try Tool.output(DaemonProcess.dcrd, ["--check-config", daemon.configPath])
        #expect(check.contains("listen on tls:0.0.0.0:0 instead"), "\(check)")

        try daemon.writeConfiguration("listen tcp:0.0.0.0:0\nallow-plaintext-tcp yes")
        try await daemon.start()
        #expect(daemon.log.contains("plain tcp: is reachable from the network"), "\(daemon.log)")
        let status = try await CLIProcess.run(["status", "--socket", daemon.socketPath])
        #expect(status.out.contains("WARNING") && status.out.contains("allow-plaintext-tcp yes"), "\(status.out)")
        let json = try await CLIProcess.run(["status", "--socket", daemon.socketPath, "--json"])
        #expect(json.out.contains("\"plaintext_tcp_off_loopback\": true") || json.out.contains("\"plaintext_tcp_off_loopback\":true"), "\(json.out)")
        #expect(try await daemon.stop() == 0)
    }

    @Test("dcrctl simulate and send over TLS, and clear errors for missing or wrong files")
    func dcrctlOverTLS() async throws {
        let (daemon, certs) = try await Self.start()
        defer { daemon.cleanUp() }
        let options = certs.dcrctlOptions(port: daemon.tlsPort, "booth-h17-1")
        let sim = try await CLIProcess.run(["simulate"] + options + ["--backfill", "1", "--speed", "0", "--seed", "3", "--site", "H17"], timeout: .seconds(120))
        #expect(sim.status == 0, "\(sim.out)\n\(sim.err)")
        let stored = try await Self.stored(daemon)
        #expect(stored > 100, "a week of one room arrived over TLS: \(stored)")

        let noCA = try await CLIProcess.run(["status", "--connect", "tls:127.0.0.1:\(daemon.tlsPort)"])
        #expect(noCA.status == 64 && noCA.err.contains("--ca"), "\(noCA.err)")
        let badCA = try await CLIProcess.run(["status", "--connect", "tls:127.0.0.1:\(daemon.tlsPort)", "--ca", certs.path("nothing.pem")])
        #expect(badCA.status == 64 && badCA.err.contains("nothing.pem"), "\(badCA.err)")
        let foreign = try await CLIProcess.run(["status"] + certs.dcrctlOptions(port: daemon.tlsPort, "stranger"))
        #expect(foreign.status == 77 && foreign.err.contains("TLS with tls:127.0.0.1"), "\(foreign.err)")
        #expect(try await daemon.stop() == 0)
    }

    @Test("under systemd-socket-activate, the socket named tls (dcrd-tls.socket's FileDescriptorName=) speaks TLS",
          .enabled(if: FileManager.default.isExecutableFile(atPath: SocketActivationTests.tool), "needs systemd-socket-activate"))
    func inheritedTLSSocket() async throws {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dcr-tls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let certs = try TestCertificates(in: dir)
        let daemon = try DaemonProcess(configuration: certs.configuration, directory: dir)
        defer { daemon.cleanUp() }
        let unixPath = dir.appendingPathComponent("activated.sock").path
        let port = try RawFrameSocket.freeLocalhostPort()
        daemon.launcher = [SocketActivationTests.tool, "--listen=\(unixPath)", "--listen=127.0.0.1:\(port)", "--fdname=unix:tls", "--"]
        try daemon.launch()
        try await daemon.waitForLog(containing: "Listening on 127.0.0.1:\(port) as 4.")
        let terminal = try await DaemonConnection.connect(to: .tls(host: "127.0.0.1", port: port), tls: certs.client("booth-h17-1"),
                                                          hello: Hello(clientName: "activated", role: .terminal))
        var factory = EventFactory(seed: 9)
        #expect(try await terminal.send(.event(factory.event(0))).body == .ack(duplicate: false))
        let ready = try await daemon.waitForLog(containing: "ready")
        #expect(ready.contains("tls_ports=[\(port)]"), "\(ready)")
        #expect(daemon.log.contains("name=tls"), "\(daemon.log)")
        // Plain TCP on that socket is refused, as on a bound tls: listener.
        await #expect(throws: (any Error).self) {
            _ = try await DaemonConnection.connect(to: .tcp(host: "127.0.0.1", port: port),
                                                   hello: Hello(clientName: "plain", role: .terminal, credential: DaemonProcess.terminalToken))
        }
        await terminal.close()
        #expect(try await daemon.stop() == 0)
    }
}
