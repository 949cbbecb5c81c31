import DCRClient
import DCRModel
import DCRWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 4, acceptance 3: dcrd under the real `systemd-socket-activate`, which binds a Unix and a
/// TCP socket, names them (`LISTEN_FDNAMES=unix:tcp`) and execs dcrd on the first connection.
@Suite("Socket activation under the real systemd-socket-activate", .serialized)
struct SocketActivationTests {
    static let tool = "/usr/bin/systemd-socket-activate"

    @Test("events written before dcrd even started are all answered through the inherited sockets; dcrd binds nothing",
          .enabled(if: FileManager.default.isExecutableFile(atPath: SocketActivationTests.tool), "needs systemd-socket-activate"))
    func servesInheritedSockets() async throws {
        // dcrd's own configuration says dcrd.sock and an ephemeral TCP port; systemd's sockets
        // are elsewhere, so anything dcrd bound itself would show.
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        let unixPath = daemon.directory.appendingPathComponent("activated.sock").path
        let port = try RawFrameSocket.freeLocalhostPort()
        daemon.launcher = [Self.tool, "--listen=\(unixPath)", "--listen=127.0.0.1:\(port)", "--fdname=unix:tcp", "--"]
        try daemon.launch()
        try await daemon.waitForLog(containing: "Listening on 127.0.0.1:\(port) as 4.")
        #expect(daemon.log.contains("Listening on \(unixPath) as 3."))
        let pid = try #require(daemon.pid)

        // Freeze the launcher, so that dcrd cannot start before every byte below is in the
        // kernel's queues: Hello plus 100 events on each socket, in one write, nothing answered.
        kill(pid, SIGSTOP)
        var factory = EventFactory(seed: 77)
        let early = (0..<200).map { factory.event($0) }
        let unix = try RawFrameSocket.connect(unixPath: unixPath)
        let tcp = try RawFrameSocket.connect(localhostPort: port)
        try unix.write([Request(id: 1, .hello(Hello(clientName: "early-unix", role: .terminal)))]
                       + early[..<100].enumerated().map { Request(id: UInt64($0.offset + 2), .event($0.element)) })
        try tcp.write([Request(id: 1, .hello(Hello(clientName: "early-tcp", role: .terminal, credential: DaemonProcess.terminalToken)))]
                      + early[100...].enumerated().map { Request(id: UInt64($0.offset + 2), .event($0.element)) })
        #expect(!daemon.log.contains("Execing"), "dcrd started before the launcher was frozen")
        kill(pid, SIGCONT)

        for (name, socket) in [("unix", unix), ("tcp", tcp)] {
            let answers = try await socket.read(101)
            #expect(answers.map(\.id) == Array(1...101), "\(name)")
            if case .welcome(let w) = answers[0].body { #expect(w.grantedRole == .terminal, "\(name)") }
            else { Issue.record("\(name): no welcome: \(answers[0])") }
            #expect(answers.dropFirst().allSatisfy { $0.body == .ack(duplicate: false) }, "\(name): \(answers.filter { $0.error != nil }.prefix(3))")
        }

        // It serves the inherited sockets, by name, and bound nothing of its own.
        let log = daemon.log
        let served = log.split(separator: "\n").filter { $0.contains("serving inherited socket") }
        #expect(served.count == 2, "\(log)")
        #expect(served.contains { $0.contains("name=unix") && $0.contains("fd=3") }, "\(served)")
        #expect(served.contains { $0.contains("name=tcp") && $0.contains("fd=4") && $0.contains("\(port)") }, "\(served)")
        #expect(!log.contains("listening address="), "dcrd bound a configured address:\n\(log)")
        #expect(!FileManager.default.fileExists(atPath: daemon.socketPath), "dcrd created its configured socket")
        let ready = try await daemon.waitForLog(containing: "ready")
        #expect(ready.contains("ports=[\(port)]"), "\(ready)")
        #expect(daemon.pid == pid, "dcrd runs in the launcher's process, as LISTEN_PID requires")

        // The ordinary client works on both inherited sockets too.
        let later = (200..<260).map { Request.Body.event(factory.event($0)) }
        let viaUnix = try await DaemonConnection.connect(to: .unix(path: unixPath), hello: Hello(clientName: "it", role: .terminal))
        let viaTCP = try await DaemonConnection.connect(to: .tcp(host: "127.0.0.1", port: port),
                                                        hello: Hello(clientName: "it", role: .terminal, credential: DaemonProcess.terminalToken))
        #expect(try await viaUnix.sendAll(Array(later[..<30])).allSatisfy { $0.body == .ack(duplicate: false) })
        #expect(try await viaTCP.sendAll(Array(later[30...])).allSatisfy { $0.body == .ack(duplicate: false) })
        // A resend of an early event through the other socket is recognised.
        #expect(try await viaTCP.send(.event(early[0])).body == .ack(duplicate: true))
        let monitor = try await DaemonConnection.connect(to: .unix(path: unixPath), hello: Hello(clientName: "it", role: .monitor))
        guard case .status(let status) = try await monitor.send(.status).body else { Issue.record("no status"); return }
        #expect(status.eventsStored.values.reduce(0, +) == 260)
        await viaUnix.close()
        await viaTCP.close()
        await monitor.close()

        // A clean stop leaves systemd's socket file alone.
        #expect(try await daemon.stop() == 0)
        #expect(FileManager.default.fileExists(atPath: unixPath), "dcrd deleted the socket file systemd owns")
    }
}
