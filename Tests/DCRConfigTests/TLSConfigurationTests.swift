import DCRConfig
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 11: the tls-* directives, and plain TCP kept off the network unless the file says so.
@Suite("TLS directives and the plaintext rule")
struct TLSConfigurationTests {
    let dir: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "dcr-tlsconf-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        dir = String(cString: made)
        chmod(dir, 0o755)
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ name: String, _ text: String, mode: mode_t = 0o644) -> String {
        let path = dir + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        chmod(path, mode)
        return path
    }

    func check(_ text: String, credentials: [String: String] = [:]) throws(ConfigurationError) -> DaemonConfiguration {
        let conf = write("dcrd.conf", "state-dir \(dir)/state\npseudonym-key-file \(dir)/key\n" + text)
        return try ConfigurationCheck(user: .current(), credentialsDirectory: nil, loadCredentials: credentials).load(path: conf)
    }

    func refusal(_ text: String) -> ConfigurationError? {
        do { _ = try check(text); return nil } catch { return error }
    }

    @Test("listen tls:HOST:PORT parses, prints back, and is neither unix nor plaintext")
    func parsesTLSAddresses() {
        #expect(ListenAddress(parsing: "tls:0.0.0.0:7412") == .tls(host: "0.0.0.0", port: 7412))
        #expect(ListenAddress(parsing: "tls:[::]:7412")?.description == "tls:[::]:7412")
        #expect(ListenAddress(parsing: "tls:host") == nil)
        #expect(ListenAddress(parsing: "tls:0.0.0.0:7412")?.isPlaintextOffLoopback == false)
        #expect(ListenAddress(parsing: "tcp:0.0.0.0:7411")?.isPlaintextOffLoopback == true)
        #expect(ListenAddress(parsing: "tcp:127.0.0.1:7411")?.isPlaintextOffLoopback == false)
        #expect(ListenAddress(parsing: "tcp:[::1]:7411")?.isPlaintextOffLoopback == false)
        #expect(ListenAddress(parsing: "tcp:localhost:7411")?.isPlaintextOffLoopback == false)
    }

    @Test("tcp: off loopback is refused with the tls: alternative; allow-plaintext-tcp yes lets it through")
    func plaintextRule() throws {
        defer { cleanUp() }
        let e = try #require(refusal("listen tcp:0.0.0.0:7411\n"))
        #expect(e.line == 3 && e.message.contains("listen on tls:0.0.0.0:7411 instead") && e.message.contains("allow-plaintext-tcp yes"), "\(e)")
        let c = try check("listen tcp:0.0.0.0:7411\nallow-plaintext-tcp yes\n")
        #expect(c.allowPlaintextTCP && c.plaintextTCPOffLoopback)
        #expect(try check("listen tcp:127.0.0.1:7411\n").plaintextTCPOffLoopback == false)
        #expect(refusal("allow-plaintext-tcp maybe\n")?.message.contains("yes or no") == true)
    }

    @Test("a tls: listener needs its certificate, key (file or credential), client CA and at least one tls-client")
    func tlsNeedsItsFiles() throws {
        defer { cleanUp() }
        let cert = write("dcrd.pem", "-----BEGIN CERTIFICATE-----\n")
        let key = write("dcrd.key", "-----BEGIN PRIVATE KEY-----\n", mode: 0o600)
        let ca = write("ca.pem", "-----BEGIN CERTIFICATE-----\n")
        let listen = "listen tls:0.0.0.0:7412\n"
        #expect(refusal(listen)?.message.contains("tls-certificate") == true)
        #expect(refusal(listen + "tls-certificate \(cert)\n")?.message.contains("tls-key") == true)
        #expect(refusal(listen + "tls-certificate \(cert)\ntls-key \(key)\n")?.message.contains("tls-client-ca") == true)
        let missing = refusal(listen + "tls-certificate \(dir)/nope.pem\ntls-key \(key)\ntls-client-ca \(ca)\n")
        #expect(missing?.message.contains("nope.pem") == true && missing?.line == 4, "\(String(describing: missing))")
        let files = listen + "tls-certificate \(cert)\ntls-key \(key)\ntls-client-ca \(ca)\n"
        #expect(refusal(files)?.message.contains("tls-client NAME ROLE") == true)
        let c = try check(files + "tls-client booth-h17-1 terminal\ntls-client dashboard monitor\n")
        #expect(c.tls.clients == [TLSClientRule(name: "booth-h17-1", role: .terminal), TLSClientRule(name: "dashboard", role: .monitor)])
        #expect(c.tls.client(named: ["x", "dashboard"])?.role == .monitor)
        // The key as a systemd credential: tls-key may be absent.
        let c2 = try check(listen + "tls-certificate \(cert)\ntls-client-ca \(ca)\ntls-client a terminal\n", credentials: ["dcr-tls-key": key])
        #expect(c2.tls.keyFile == nil)
    }

    @Test("tls-client and tls-expiry-warning-days are checked like every directive")
    func badValues() {
        #expect(throws: ConfigurationError.self) { try ConfigurationFile.parse("tls-client booth root\n", file: "c") }
        #expect(throws: ConfigurationError.self) { try ConfigurationFile.parse("tls-client booth\n", file: "c") }
        #expect(throws: ConfigurationError.self) { try ConfigurationFile.parse("tls-client a terminal\ntls-client a monitor\n", file: "c") }
        #expect(throws: ConfigurationError.self) { try ConfigurationFile.parse("tls-expiry-warning-days -1\n", file: "c") }
        #expect((try? ConfigurationFile.parse("tls-expiry-warning-days 60\n", file: "c"))?.tls.expiryWarningDays == 60)
        #expect(DaemonConfiguration().tls.expiryWarningDays == 30)
        #expect(DaemonConfiguration().allowPlaintextTCP == false)
    }
}
