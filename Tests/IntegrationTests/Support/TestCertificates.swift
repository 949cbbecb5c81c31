import DCRClient
import Foundation

/// A room's CA, the daemon's certificate and terminal certificates, made by the same
/// `Deploy/dcr-tls-certs` script (and so the same openssl commands) that Deploy/README.md gives
/// operators, in the test's own temporary directory.
///
/// Terminals: `booth-h17-1` (terminal) and `dashboard` (monitor) are configured and valid;
/// `stranger` is signed by the CA but has no `tls-client` line; `booth-old` is configured but
/// expired (January 2020); `booth-foreign` is configured but signed by another CA.
struct TestCertificates {
    static let script = DaemonProcess.repositoryRoot.appendingPathComponent("Deploy/dcr-tls-certs").path
    let directory: String

    init(in base: URL) throws {
        directory = base.appendingPathComponent("tls").path
        try run("ca")
        try run("server", "dcrd", "127.0.0.1", "localhost")
        for name in ["booth-h17-1", "dashboard", "stranger"] { try run("terminal", name) }
        try run("expired", "booth-old")
        try run("ca", directory: directory + "/other")
        try run("terminal", "booth-foreign", ca: directory + "/other/ca")
    }

    /// Runs the script; `ca` signs with another CA's PEM/key prefix.
    func run(_ arguments: String..., directory: String? = nil, ca: String? = nil) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [Self.script, directory ?? self.directory] + arguments
        if let ca { p.environment = ProcessInfo.processInfo.environment.merging(["DCR_TLS_CA": ca]) { $1 } }
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw HarnessError("dcr-tls-certs \(arguments.joined(separator: " ")) failed (\(p.terminationStatus)): \(text)")
        }
    }

    func path(_ file: String) -> String { directory + "/" + file }

    /// The daemon's TLS directives; the listener goes on a free port.
    var configuration: String {
        """
        listen tls:127.0.0.1:0
        tls-certificate \(path("dcrd.pem"))
        tls-key \(path("dcrd.key"))
        tls-client-ca \(path("ca.pem"))
        tls-client booth-h17-1 terminal
        tls-client dashboard monitor
        tls-client booth-old terminal
        tls-client booth-foreign terminal
        """
    }

    /// A client's files: the CA, and the named terminal's certificate and key (nil: none).
    func client(_ name: String?) -> TLSClientFiles {
        TLSClientFiles(caFile: path("ca.pem"), certificateFile: name.map { path("\($0).pem") }, keyFile: name.map { path("\($0).key") })
    }

    /// dcrctl's options for the same.
    func dcrctlOptions(port: Int, _ name: String) -> [String] {
        ["--connect", "tls:127.0.0.1:\(port)", "--ca", path("ca.pem"), "--cert", path("\(name).pem"), "--key", path("\(name).key")]
    }

    /// The SHA-256 fingerprint of a PEM certificate file, by openssl.
    static func fingerprint(ofFile path: String) throws -> String {
        try Tool.output("/usr/bin/openssl", ["x509", "-in", path, "-noout", "-fingerprint", "-sha256"])
    }
}

/// Runs a program to its end and gives its standard output (stderr joins it).
enum Tool {
    static func output(_ executable: String, _ arguments: [String], input: String = "") throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = arguments
        let out = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = out
        p.standardInput = inp
        try p.run()
        inp.fileHandleForWriting.write(Data(input.utf8))
        try inp.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
