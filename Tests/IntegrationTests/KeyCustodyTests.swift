import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 15, acceptance 4: the pseudonym key lives outside the state directory by default, the
/// store records its fingerprint, and a start with another key is refused with exit 78.
@Suite("Pseudonym key custody", .serialized)
struct KeyCustodyTests {
    /// Every regular file under `directory`, with its bytes.
    static func files(under directory: String) -> [(String, Data)] {
        guard let e = FileManager.default.enumerator(atPath: directory) else { return [] }
        var out: [(String, Data)] = []
        while let name = e.nextObject() as? String {
            let path = directory + "/" + name
            var info = stat()
            if lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG, let data = FileManager.default.contents(atPath: path) {
                out.append((name, data))
            }
        }
        return out
    }

    @Test("with the default configuration the key is created outside the state directory, private, and nowhere under it")
    func defaultLocation() async throws {
        let daemon = try DaemonProcess(configuresKey: false)
        defer { daemon.cleanUp() }
        let config = daemon.directory.appendingPathComponent("xdg-config").path
        daemon.extraEnvironment["XDG_CONFIG_HOME"] = config
        try await daemon.start()
        var factory = EventFactory(seed: 41)
        try await daemon.sendAll((0..<200).map { factory.event($0) })
        #expect(try await daemon.stop() == 0)

        let keyPath = config + "/dcr/pseudonym.key"
        let key = try #require(FileManager.default.contents(atPath: keyPath), "the key is at \(keyPath)")
        #expect(key.count == 32)
        var info = stat()
        #expect(stat(keyPath, &info) == 0 && info.st_mode & 0o777 == 0o600)
        let state = Self.files(under: daemon.stateDirectory)
        #expect(state.contains { $0.0 == "events.sqlite" })
        #expect(!state.contains { $0.0.hasSuffix(".key") })
        for (name, bytes) in state { #expect(bytes.range(of: key) == nil, "the key's bytes are in \(name)") }
        let fingerprint = try await ToolRun.sqlite3(daemon.stateDirectory + "/events.sqlite",
                                                    "SELECT value FROM meta WHERE key = 'key_fingerprint'")
        #expect(fingerprint.count == 16 && fingerprint.allSatisfy(\.isHexDigit), "\(fingerprint)")
        // Started again, the same key and the same fingerprint: accepted.
        try await daemon.start()
        #expect(try await daemon.stop() == 0)
    }

    @Test("a store pseudonymised under another key: exit 78, a message saying what to do, the store untouched")
    func otherKey() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        var factory = EventFactory(seed: 42)
        try await daemon.sendAll((0..<50).map { factory.event($0) })
        #expect(try await daemon.stop() == 0)
        let store = daemon.stateDirectory + "/events.sqlite"
        let before = try await ToolRun.sqlite3(store, "SELECT count(*), max(seq) FROM events")

        // A new key in the same place, as after a lost or mixed-up key file.
        unlink(daemon.keyPath)
        var fresh = [UInt8](repeating: 0, count: 32)
        for i in fresh.indices { fresh[i] = UInt8.random(in: 0...255) }
        _ = FileManager.default.createFile(atPath: daemon.keyPath, contents: Data(fresh), attributes: [.posixPermissions: 0o600])
        try daemon.launch()
        #expect(try await daemon.waitForExit(timeout: .seconds(30)) == 78)
        let log = daemon.log
        #expect(log.contains("was pseudonymised under the key with fingerprint"), "\(log)")
        #expect(log.contains("Give dcrd the key this store was made with"), "\(log)")
        #expect(!log.contains("ready"))
        #expect(try await ToolRun.sqlite3(store, "SELECT count(*), max(seq) FROM events") == before)
    }

    @Test("a key left inside the state directory by an older version: exit 78 with the command that moves it out")
    func legacyKeyInStateDirectory() async throws {
        let daemon = try DaemonProcess(configuresKey: false)
        defer { daemon.cleanUp() }
        daemon.extraEnvironment["XDG_CONFIG_HOME"] = daemon.directory.appendingPathComponent("xdg-config").path
        try FileManager.default.createDirectory(atPath: daemon.stateDirectory, withIntermediateDirectories: true)
        let legacy = daemon.stateDirectory + "/pseudonym.key"
        _ = FileManager.default.createFile(atPath: legacy, contents: Data(repeating: 7, count: 32), attributes: [.posixPermissions: 0o600])
        try daemon.launch()
        #expect(try await daemon.waitForExit(timeout: .seconds(30)) == 78)
        #expect(daemon.log.contains("the pseudonym key is inside the state directory (\(legacy))"), "\(daemon.log)")
        #expect(daemon.log.contains("mv \(legacy) "), "\(daemon.log)")
    }
}
