import DCRTestSupport
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 9: `dcrd --check-config` finds before a start what the start would refuse (as nginx -t,
/// named-checkconf and sshd -t do), and `dcrctl reload` answers with the same words.
@Suite("dcrd --check-config and dcrctl reload's answer", .serialized)
struct CheckConfigTests {
    /// Runs the real dcrd binary to the end; its two output streams and its exit status.
    static func dcrd(_ arguments: [String]) async throws -> (status: Int32, out: String, err: String) {
        let dir = NSTemporaryDirectory() + "dcr-check-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "CREDENTIALS_DIRECTORY")
        let child = try ChildProcess(executable: DaemonProcess.dcrd, arguments: arguments, environment: env,
                                     stdout: .file(dir + "/out"), stderr: .file(dir + "/err"))
        let status = try await eventually("dcrd \(arguments) to exit", timeout: .seconds(30)) {
            child.isRunning ? nil : child.terminationStatus
        }
        let read = { (name: String) in (try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? "" }
        return (status, read("out"), read("err"))
    }

    @Test("a good file: exit 0 and one line saying what was checked; nothing is started or created")
    func good() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        let r = try await Self.dcrd(["--check-config", daemon.configPath])
        #expect(r.status == 0, "\(r)")
        #expect(r.out.contains("\(daemon.configPath) is valid: 3 sites, 2 tokens"), "\(r.out)")
        #expect(!FileManager.default.fileExists(atPath: daemon.stateDirectory), "a check creates no state")
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath), "a check binds nothing")
    }

    @Test("a broken file: exit 78 with the file, the line and the rule")
    func broken() async throws {
        let daemon = try DaemonProcess(configuration: "commit-max-delay-ms 5")
        defer { daemon.cleanUp() }
        let lines = try String(contentsOfFile: daemon.configPath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let n = try #require(lines.firstIndex { $0.hasPrefix("commit-max-delay-ms") }) + 1
        let r = try await Self.dcrd(["--check-config", daemon.configPath])
        #expect(r.status == 78)
        #expect(r.err.contains("\(daemon.configPath):\(n): unknown directive \"commit-max-delay-ms\""), "\(r.err)")
        // --config FILE names the same file; the daemon itself refuses it the same way at start.
        #expect(try await Self.dcrd(["--check-config", "--config", daemon.configPath]).status == 78)
        let start = try await Self.dcrd(["--config", daemon.configPath])
        #expect(start.status == 78 && start.err.contains("unknown directive"), "\(start)")
    }

    @Test("a token file the daemon's user cannot read: exit 78 naming it, although root can read it",
          .enabled(if: getuid() == 0 && getpwnam("nobody") != nil, "needs root and the user nobody"))
    func asTheDaemonsUser() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        chmod(daemon.directory.path, 0o755)
        let token = daemon.directory.appendingPathComponent("terminal.token").path
        chmod(token, 0o600)
        #expect(try await Self.dcrd(["--check-config", daemon.configPath]).status == 0, "root reads everything")
        let r = try await Self.dcrd(["--check-config", "--user", "nobody", daemon.configPath])
        #expect(r.status == 78)
        #expect(r.err.contains("cannot read token file \(token)"), "\(r.err)")
        let unknown = try await Self.dcrd(["--check-config", "--user", "no-such-user-dcr", daemon.configPath])
        #expect(unknown.status == 64 && unknown.err.contains("no such user"), "\(unknown)")
    }

    @Test("dcrctl reload of a broken file: exit 65 with the check's words; the daemon keeps running")
    func reloadAnswers() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        try ReloadTests.edit(daemon.configPath, "site H17 12", "site H17 12\nbogus-directive 1")
        let r = try await CLIProcess.run(["reload", "--socket", daemon.socketPath])
        #expect(r.status == 65, "\(r)")
        #expect(r.err.contains("reload refused") && r.err.contains("unknown directive \"bogus-directive\""), "\(r.err)")
        let checked = try await Self.dcrd(["--check-config", daemon.configPath])
        #expect(checked.status == 78)
        let line = try #require(checked.err.split(separator: "\n").first.map { $0.replacingOccurrences(of: "dcrd: ", with: "") })
        #expect(r.err.contains(line), "dcrctl reload says what --check-config says: \(line)")
        try ReloadTests.edit(daemon.configPath, "bogus-directive 1", "")
        let ok = try await CLIProcess.run(["reload", "--socket", daemon.socketPath])
        #expect(ok.status == 0 && ok.out.contains("reloaded"), "\(ok)")
        #expect(try await daemon.stop() == 0)
    }
}
