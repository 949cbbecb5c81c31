import DCRModel
import DCRWire
import Foundation
import Testing

/// Issue 17, defects 2 and 3, through the real dcrd over a raw socket: every event stored is
/// acknowledged, in request order, before a refusal and before the close, also after the
/// client's half-close.
@Suite("Acknowledgements are never overtaken or dropped", .serialized)
struct AcknowledgementOrderTests {
    private static let count = 200

    private func intakes(from first: Int, count: Int) -> [UInt8] {
        (first..<first + count).flatMap { n in
            RawSocket.frame(WireCodec.encodeRequest(Request(id: UInt64(n), .event(.intake(Intake(
                header: EventHeader(id: EventID(high: 0xA11, low: UInt64(n)), site: "H17",
                                    occurredAtMs: DaemonProcess.testClockStartMs - 1000, booth: 0),
                client: .code(ClientCode("order-\(n)")), gender: .male, age: 40, substance: .heroin, route: .smoking))))))
        }
    }

    private func expectAcks(_ raw: RawSocket, ids: Range<Int>, sourceLocation: SourceLocation = #_sourceLocation) throws {
        for n in ids {
            let r = try raw.readResponse()
            #expect(r.id == UInt64(n) && r.body == .ack(duplicate: false), "expected the ack of \(n), got \(r)",
                    sourceLocation: sourceLocation)
            if r.id != UInt64(n) { return }
        }
    }

    private func storedIntakes(_ daemon: DaemonProcess) async throws -> UInt64 {
        let admin = try await daemon.connect(role: .admin)
        defer { Task { await admin.close() } }
        guard case .status(let s) = try await admin.send(.status).body else { throw HarnessError("no status") }
        return s.eventsStored[.intake] ?? 0
    }

    @Test("defect 2: pipelined events, then a frame that does not decode: every ack, in order, then the refusal, then EOF")
    func refusalAfterPendingAcks() async throws {
        let daemon = try DaemonProcess(configuration: "commit-max-delay-us 20000")
        defer { daemon.cleanUp() }
        try await daemon.start()
        let raw = try RawSocket(unixPath: daemon.socketPath)
        try raw.hello(role: .terminal)
        #expect(raw.send(intakes(from: 10, count: Self.count) + RawSocket.frame([0xFF, 0xFF, 0xFF])))
        try expectAcks(raw, ids: 10..<10 + Self.count)
        let refusal = try raw.readResponse()
        #expect(refusal.id == 0 && refusal.code == .invalidArgument, "\(refusal)")
        let end = raw.waitForEOF()
        #expect(end.closed && end.extraBytes == 0)
        #expect(try await storedIntakes(daemon) == UInt64(Self.count))
        #expect(try await daemon.stop() == 0)
    }

    @Test("defect 2: the same with an oversized frame header and with a reserved flag bit")
    func frameErrorAfterPendingAcks() async throws {
        let daemon = try DaemonProcess(configuration: "commit-max-delay-us 20000")
        defer { daemon.cleanUp() }
        try await daemon.start()
        for (i, bad) in [RawSocket.header(length: 0xFFFF_FFFF), RawSocket.frame([0x08, 0x01], flags: 0x02)].enumerated() {
            let raw = try RawSocket(unixPath: daemon.socketPath)
            try raw.hello(role: .terminal)
            let first = 1000 * (i + 1)
            #expect(raw.send(intakes(from: first, count: Self.count) + bad))
            try expectAcks(raw, ids: first..<first + Self.count)
            let refusal = try raw.readResponse()
            #expect(refusal.id == 0 && refusal.code != .ok, "\(refusal)")
            #expect(raw.waitForEOF().closed)
        }
        #expect(try await storedIntakes(daemon) == UInt64(2 * Self.count))
        #expect(try await daemon.stop() == 0)
    }

    @Test("defect 3: events sent before shutdown(SHUT_WR) are all acknowledged, then the daemon closes")
    func halfCloseKeepsAcks() async throws {
        let daemon = try DaemonProcess(configuration: "commit-max-delay-us 20000")
        defer { daemon.cleanUp() }
        try await daemon.start()
        let raw = try RawSocket(unixPath: daemon.socketPath)
        try raw.hello(role: .terminal)
        #expect(raw.send(intakes(from: 1, count: Self.count)))
        raw.shutdownWrite()
        try expectAcks(raw, ids: 1..<1 + Self.count)
        let end = raw.waitForEOF()
        #expect(end.closed && end.extraBytes == 0)
        #expect(try await storedIntakes(daemon) == UInt64(Self.count))
        #expect(try await daemon.stop() == 0)
    }
}
