import Crypto
import DCRModel
import DCRStore
import Foundation
import Testing

@Suite("Pseudonymising client codes")
struct PseudonymizerTests {
    static func key(_ byte: UInt8) -> SymmetricKey { SymmetricKey(data: [UInt8](repeating: byte, count: 32)) }

    @Test("the same code and key give the same pseudonym; another key or code gives another")
    func stableAndKeyed() throws {
        let p1 = try Pseudonymizer(key: Self.key(1))
        let p1again = try Pseudonymizer(key: Self.key(1))
        let p2 = try Pseudonymizer(key: Self.key(2))
        let code = ClientCode("M-ABCD-1984")
        #expect(p1.pseudonym(for: code) == p1again.pseudonym(for: code))
        #expect(p1.pseudonym(for: code) != p2.pseudonym(for: code))
        #expect(p1.pseudonym(for: code) != p1.pseudonym(for: ClientCode("M-ABCD-1985")))
    }

    @Test("a pseudonym is the first 16 bytes of HMAC-SHA256 as 32 lower-case hex digits")
    func format() throws {
        let key = Self.key(7)
        let code = ClientCode("F-XYZW-1990")
        let mac = HMAC<SHA256>.authenticationCode(for: Array(code.rawValue.utf8), using: key)
        let expected = mac.prefix(16).map { String(format: "%02x", $0) }.joined()
        let text = try Pseudonymizer(key: key).pseudonym(for: code).text
        #expect(text == expected)
        #expect(text.count == 32)
        #expect(!text.contains("XYZW"))
        // The HMAC is spelled out over SHA-256 (RFC 2104): it must agree with the library's for
        // any code, empty, short, a block long and longer, multi-byte UTF-8 included.
        let p = try Pseudonymizer(key: key)
        for raw in ["", "A", String(repeating: "x", count: 63), String(repeating: "y", count: 64),
                    String(repeating: "z", count: 200), "K-ØÆÅ-1977"] {
            let mac = HMAC<SHA256>.authenticationCode(for: Array(raw.utf8), using: key)
            #expect(p.pseudonym(for: ClientCode(raw)).text == mac.prefix(16).map { String(format: "%02x", $0) }.joined(),
                    "code of \(raw.utf8.count) bytes")
        }
    }

    @Test("pseudonymize replaces every raw code in an event")
    func pseudonymizeEvent() throws {
        let p = try Pseudonymizer(key: Self.key(3))
        let raw = Event.incident(Incident(header: Fixtures.header(), kind: .violence, victimGender: .male,
                                          victimRole: .client, client: .code(ClientCode("C1"))))
        #expect(!raw.isPseudonymous)
        let done = p.pseudonymize(raw)
        #expect(done.isPseudonymous)
        #expect(done.client == .pseudonym(p.pseudonym(for: ClientCode("C1"))))
    }

    @Test("a key of the wrong size is refused")
    func wrongSizeKey() {
        #expect(throws: KeyError.self) { try Pseudonymizer(key: SymmetricKey(size: .bits128)) }
    }

    @Test("a missing key file is created with mode 0600 and reused afterwards")
    func keyFileCreatedAndReused() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("client-key")
        let created = try Pseudonymizer.loadOrCreateKey(at: path)
        var info = stat()
        #expect(stat(path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(info.st_size == 32)
        let reread = try Pseudonymizer.loadOrCreateKey(at: path)
        #expect(created == reread)
        let code = ClientCode("M-QQQQ-1970")
        #expect(try Pseudonymizer(key: created).pseudonym(for: code)
                == Pseudonymizer.fromKeyFile(at: path).pseudonym(for: code))
    }

    @Test("a key file that group or others may read is refused, naming the path and the rule")
    func groupReadableRefused() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("client-key")
        _ = try Pseudonymizer.loadOrCreateKey(at: path)
        chmod(path, 0o640)
        do {
            _ = try Pseudonymizer.loadOrCreateKey(at: path)
            Issue.record("a group-readable key was accepted")
        } catch {
            #expect(error == .tooOpen(path: path, mode: UInt32(S_IFREG) | 0o640))
            #expect(error.description.contains(path))
            #expect(error.description.contains("chmod 600"))
        }
    }

    @Test("a key file of the wrong size is refused and left alone")
    func wrongSizeFileRefused() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let path = dir.file("client-key")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(count: 31),
                                               attributes: [.posixPermissions: 0o600]))
        #expect(throws: KeyError.wrongKeySize(source: path, bytes: 31)) {
            try Pseudonymizer.loadOrCreateKey(at: path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count == 31)
    }

    @Test("a systemd credential is read from CREDENTIALS_DIRECTORY")
    func credential() throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let bytes = [UInt8](repeating: 9, count: 32)
        #expect(FileManager.default.createFile(atPath: dir.file("dcr-client-key"), contents: Data(bytes)))
        let p = try Pseudonymizer.fromCredential(named: "dcr-client-key",
                                                 environment: ["CREDENTIALS_DIRECTORY": dir.path])
        let code = ClientCode("X")
        #expect(p.pseudonym(for: code) == (try Pseudonymizer(key: Self.key(9))).pseudonym(for: code))
        #expect(throws: KeyError.noCredentialsDirectory(name: "dcr-client-key")) {
            try Pseudonymizer.fromCredential(named: "dcr-client-key", environment: [:])
        }
        #expect(throws: KeyError.invalidCredentialName("../x")) {
            try Pseudonymizer.fromCredential(named: "../x", environment: ["CREDENTIALS_DIRECTORY": dir.path])
        }
    }
}
