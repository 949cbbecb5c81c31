import DCRClient
import DCRConfig
import DCRModel
@testable import DCRServer
import DCRStore
import DCRSystemd
import DCRWire
import Foundation
import Logging
import ServiceLifecycle
import Testing

/// The whole daemon, composed of its services, run inside the test process: what `dcrd` runs,
/// without a process around it. The real-binary tests (IntegrationTests) stay; this one shows
/// that the composition itself starts, answers and stops in the right order.
@Suite("The whole daemon in-process")
struct WholeDaemonTests {
    @Test("started as a service, it acknowledges over its own socket; a graceful stop drains, removes the socket and leaves the event stored")
    func startAcknowledgeStop() async throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var c = DaemonConfiguration(listen: [.unix(path: dir + "/dcrd.sock")], stateDirectory: dir + "/state")
        c.pseudonymKeyFile = dir + "/keys/pseudonym.key"
        let clock = DaemonClock(manual: ManualTime(startingAtMs: Room.startMs))
        let configuration = c
        let runner = DaemonRunner(configuration: c, reload: { configuration }, levelSwitch: LogLevelSwitch(.critical),
                                  logger: Room.quiet, version: "test", clock: clock)
        let daemon = ServiceGroup(services: [runner], logger: Room.quiet)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await daemon.run() }
            let connection = try await Self.connect(to: .unix(path: dir + "/dcrd.sock"), within: .seconds(30))
            let answer = try await connection.send(.event(Room.intake(1)))
            guard case .ack(let duplicate, _) = answer.body else {
                Issue.record("expected an Ack, got \(answer)")
                return
            }
            #expect(!duplicate)
            // Nothing but the stop ends it: the group returns only after the drain and the close.
            await daemon.triggerGracefulShutdown()
            try await tasks.waitForAll()
            await connection.close()
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/dcrd.sock"), "the drain removes the socket it created")
        let reopened = try EventStore(directory: dir + "/state", calendar: Room.calendar, logger: Room.quiet)
        defer { reopened.close() }
        #expect(reopened.statistics.storedByKind[.intake] == 1)
    }

    /// Retries until the daemon's socket accepts a Hello, up to `deadline`: the daemon binds
    /// only after opening and replaying the store.
    static func connect(to address: ListenAddress, within deadline: Duration) async throws -> DaemonConnection {
        let end = ContinuousClock.now + deadline
        while true {
            do {
                return try await DaemonConnection.connect(to: address, hello: Hello(clientName: "test", role: .terminal))
            } catch {
                if ContinuousClock.now > end { throw error }
                try await Task.sleep(for: .milliseconds(20))
            }
        }
    }

    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "dcr-whole-daemon-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}
