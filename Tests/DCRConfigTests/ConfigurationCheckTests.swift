import DCRConfig
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `dcrd --check-config`: what a start would refuse, found as the user the daemon runs as.
@Suite("ConfigurationCheck: files usable by the daemon's user")
struct ConfigurationCheckTests {
    let dir: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "dcr-check-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        dir = String(cString: made)
        chmod(dir, 0o755)
    }

    func write(_ name: String, _ bytes: [UInt8], mode: mode_t) -> String {
        let path = dir + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        chmod(path, mode)
        return path
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: dir) }

    static let nobody = RunAsUser.named("nobody")
    static var asRoot: Bool { getuid() == 0 && nobody != nil }

    @Test("a good file: parsed, key and state directory usable")
    func good() throws {
        defer { cleanUp() }
        let key = write("key", Array(repeating: 7, count: 32), mode: 0o600)
        let conf = write("dcrd.conf", Array("state-dir \(dir)/state\npseudonym-key-file \(key)\nsite H17 3\n".utf8), mode: 0o644)
        let c = try ConfigurationCheck(user: .current(), credentialsDirectory: nil).load(path: conf)
        #expect(c.sites.map(\.code) == ["H17"])
    }

    @Test("a key file the daemon's user cannot read is refused with its line and the credential hint",
          .enabled(if: asRoot, "needs root and the user nobody"))
    func unreadableKey() throws {
        defer { cleanUp() }
        let key = write("key", Array(repeating: 7, count: 32), mode: 0o600)
        let conf = write("dcrd.conf", Array("site H17 3\nstate-dir \(dir)\npseudonym-key-file \(key)\n".utf8), mode: 0o644)
        chmod(dir, 0o777)
        let check = ConfigurationCheck(user: Self.nobody!, credentialsDirectory: nil)
        #expect {
            _ = try check.load(path: conf)
        } throws: { error in
            let e = error as? ConfigurationError
            return e?.line == 3 && e?.message.contains("user nobody cannot read \(key)") == true
                && e?.message.contains("LoadCredential=") == true
        }
        // The same file as root (what the daemon does not run as) passes: root proves nothing.
        _ = try ConfigurationCheck(user: .current(), credentialsDirectory: nil).load(path: conf)
    }

    @Test("the systemd credential wins over an unreadable key file")
    func credentialWins() throws {
        defer { cleanUp() }
        let credentials = dir + "/credentials"
        mkdir(credentials, 0o755)
        _ = write("credentials/dcr-pseudonym-key", Array(repeating: 1, count: 32), mode: 0o644)
        let conf = write("dcrd.conf", Array("state-dir \(dir)\npseudonym-key-file /nonexistent/dir/key\n".utf8), mode: 0o644)
        _ = try ConfigurationCheck(user: .current(), credentialsDirectory: credentials).load(path: conf)
        _ = write("credentials/dcr-pseudonym-key", Array(repeating: 1, count: 31), mode: 0o644)
        #expect(throws: ConfigurationError.self) {
            _ = try ConfigurationCheck(user: .current(), credentialsDirectory: credentials).load(path: conf)
        }
    }

    @Test("a key of the wrong size or open to others is refused")
    func badKey() throws {
        defer { cleanUp() }
        let short = write("short", Array(repeating: 7, count: 16), mode: 0o600)
        let open = write("open", Array(repeating: 7, count: 32), mode: 0o644)
        for (key, rule) in [(short, "exactly 32"), (open, "chmod 600")] {
            let conf = write("dcrd.conf", Array("state-dir \(dir)\npseudonym-key-file \(key)\n".utf8), mode: 0o644)
            #expect {
                _ = try ConfigurationCheck(user: .current(), credentialsDirectory: nil).load(path: conf)
            } throws: { ($0 as? ConfigurationError)?.message.contains(rule) == true }
        }
    }

    @Test("a token file the daemon's user cannot read is refused at its line",
          .enabled(if: asRoot, "needs root and the user nobody"))
    func unreadableToken() throws {
        defer { cleanUp() }
        let token = write("token", Array("0123456789abcdef0123".utf8), mode: 0o600)
        let conf = write("dcrd.conf", Array("state-dir /tmp\npseudonym-key-credential x\ntoken t1 terminal \(token)\n".utf8), mode: 0o644)
        #expect {
            _ = try ConfigurationCheck(user: Self.nobody!, credentialsDirectory: nil).load(path: conf)
        } throws: { error in
            let e = error as? ConfigurationError
            return e?.line == 3 && e?.message.contains("cannot read token file") == true
        }
    }

    @Test("a state directory the daemon's user cannot write is refused",
          .enabled(if: asRoot, "needs root and the user nobody"))
    func stateDirectory() throws {
        defer { cleanUp() }
        let state = dir + "/state"
        mkdir(state, 0o700)
        let conf = write("dcrd.conf", Array("state-dir \(state)\npseudonym-key-file \(state)/key\n".utf8), mode: 0o644)
        #expect {
            _ = try ConfigurationCheck(user: Self.nobody!, credentialsDirectory: nil).load(path: conf)
        } throws: { ($0 as? ConfigurationError)?.message.contains("user nobody cannot") == true }
    }
}
