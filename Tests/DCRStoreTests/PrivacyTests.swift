import DCRModel
import DCRStore
import Foundation
import Testing

@Suite("No raw client code is ever stored")
struct PrivacyTests {
    static let planted = "ZQ-PLANTED-CODE-4471"

    @Test("an event with a raw client code is refused and the code is nowhere in the files or logs")
    func rawCodeRefused() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let logs = LogRecorder()
        let pseudonymizer = try Pseudonymizer.fromKeyFile(at: dir.file("client-key"))
        let store = try Fixtures.openStore(dir, logger: logs.logger())

        let code = ClientCode(Self.planted)
        let raw: [Event] = [
            Fixtures.intake(client: .code(code)),
            .incident(Incident(header: Fixtures.header(), kind: .theft, victimGender: .male,
                               victimRole: .client, client: .code(code))),
            .referral(Referral(header: Fixtures.header(), client: .code(code), gender: .male,
                               target: .housing)),
        ]
        for event in raw {
            #expect(await store.append(event, receivedAtMs: 0) == .unavailable("internal: raw client code"))
            #expect(try !store.contains(event.id))
        }
        for event in raw {
            #expect(await store.append(pseudonymizer.pseudonymize(event), receivedAtMs: 0) == .stored)
        }
        #expect(store.statistics.unavailable == 3)
        // Look at the files while the WAL still holds the data, then after close (checkpoint).
        let control = pseudonymizer.pseudonym(for: code).text
        try expectInFiles(dir, control: control)
        store.close()
        try expectInFiles(dir, control: control)
        #expect(!logs.all.joined(separator: "\n").contains(Self.planted))

        let reopened = try Fixtures.openStore(dir)
        defer { reopened.close() }
        var clients = Set<ClientRef>()
        _ = try reopened.replay { if let c = $0.client { clients.insert(c) } }
        #expect(clients == [.pseudonym(pseudonymizer.pseudonym(for: code))])
    }

    /// The planted code is in no file of the directory, while the control (the pseudonym) is
    /// found: the search does see the stored data.
    private func expectInFiles(_ dir: TempDirectory, control: String) throws {
        let needle = Data(Self.planted.utf8)
        let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(names.contains("events.sqlite"))
        var controlFound = false
        for name in names {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: dir.file(name)))
            #expect(bytes.range(of: needle) == nil, "the planted code is in \(name)")
            if bytes.range(of: Data(control.utf8)) != nil { controlFound = true }
        }
        #expect(controlFound, "the pseudonym should be found in the files")
    }
}
