import DCRModel
import DCRWire
import Foundation
import Testing

/// Issue 17, defects 1, 4 and 8, through the real dcrd over a raw socket: the daemon reads a
/// request as standard protobuf does and enforces the contract's rules as the contract words them.
@Suite("Wire fidelity: strings, split messages, field numbers, character counts", .serialized)
struct WireFidelityTests {
    private static let now = DaemonProcess.testClockStartMs - 60_000

    private func started(_ configuration: String = "") async throws -> DaemonProcess {
        let daemon = try DaemonProcess(configuration: configuration)
        try await daemon.start()
        return daemon
    }

    private func stored(_ daemon: DaemonProcess) async throws -> [EventKind: UInt64] {
        let admin = try await daemon.connect(role: .admin)
        defer { Task { await admin.close() } }
        guard case .status(let s) = try await admin.send(.status).body else { throw HarnessError("no status") }
        return s.eventsStored
    }

    private func event(kind: Int = 20, id: UInt8, site: String = "H17", code: [UInt8]) -> [UInt8] {
        HandMadeRequest.event(kind: kind, id: id, site: Array(site.utf8), code: code, occurredAtMs: Self.now)
    }

    @Test("defect 1: a NUL in a site or client code, or bad UTF-8 after one, is refused naming the field; nothing is stored")
    func embeddedNUL() async throws {
        let daemon = try await started()
        defer { daemon.cleanUp() }
        let raw = try RawSocket(unixPath: daemon.socketPath)
        try raw.hello(role: .terminal)
        let cases: [(UInt64, [UInt8], String)] = [
            (2, HandMadeRequest.request(id: 2, [(20, event(id: 2, site: "H17\0junk", code: Array("m".utf8)))]), "intake.site"),
            (3, HandMadeRequest.request(id: 3, [(20, event(id: 3, code: Array("m\0one".utf8)))]), "intake.client_code"),
            (4, HandMadeRequest.request(id: 4, [(23, event(kind: 23, id: 4, code: Array("m\0two".utf8)))]), "referral.client_code"),
            (5, HandMadeRequest.request(id: 5, [(20, event(id: 5, code: [0x6D, 0x00, 0xFF, 0xFE]))]), "intake.client_code"),
        ]
        for (id, payload, field) in cases {
            #expect(raw.send(RawSocket.frame(payload)))
            let r = try raw.readResponse()
            #expect(r.id == id)
            #expect(r.code == .invalidArgument, "\(field): \(r)")
            #expect(r.error?.message.hasPrefix(field) == true, "\(r.error?.message ?? "no message")")
        }
        #expect(raw.send(RawSocket.frame(WireCodec.encodeRequest(Request(id: 9, .ping(nonce: 9))))))
        #expect(try raw.readResponse().body == .pong(nonce: 9), "the connection stays open after a field refusal")
        let s = try await stored(daemon)
        #expect(s[.intake] ?? 0 == 0 && s[.referral] ?? 0 == 0, "stored: \(s)")
        #expect(try await daemon.stop() == 0)
    }

    @Test("defect 1: a TCP credential with a NUL after a valid token is not accepted")
    func credentialWithNUL() async throws {
        let daemon = try await started()
        defer { daemon.cleanUp() }
        let raw = try RawSocket(tcpPort: daemon.tcpPort)
        var hello = HandMadeRequest()
        hello.field(1, varint: 1)
        hello.field(2, bytes: Array("raw".utf8))
        hello.field(3, varint: 1)
        hello.field(4, bytes: Array((DaemonProcess.terminalToken + "\0anything").utf8))
        #expect(raw.send(RawSocket.frame(HandMadeRequest.request(id: 1, [(10, hello.bytes)]))))
        let r = try raw.readResponse()
        #expect(r.id == 1)
        #expect(r.body == .none, "welcomed with a NUL-extended token: \(r)")
        #expect(r.code == .invalidArgument)
        #expect(r.error?.message == "hello.credential: contains a NUL byte")
        #expect(!(r.error?.message.contains(DaemonProcess.terminalToken) ?? true), "the refusal repeats the credential")
        #expect(try await daemon.stop() == 0)
    }

    @Test("defect 4: an intake split over two occurrences of the field is merged, stored and acknowledged")
    func splitIntakeMerged() async throws {
        let daemon = try await started()
        defer { daemon.cleanUp() }
        let raw = try RawSocket(unixPath: daemon.socketPath)
        try raw.hello(role: .terminal)
        var first = HandMadeRequest()
        first.field(1, bytes: [UInt8](repeating: 0x5A, count: 16))
        first.field(2, bytes: Array("H17".utf8))
        first.field(3, varint: UInt64(Self.now))
        var second = HandMadeRequest()
        second.field(10, bytes: Array("split-client".utf8))
        #expect(raw.send(RawSocket.frame(HandMadeRequest.request(id: 2, [(20, first.bytes), (20, second.bytes)]))))
        let r = try raw.readResponse()
        #expect(r.id == 2)
        #expect(r.body == .ack(duplicate: false), "\(r)")
        // An earlier part is validated too: a NUL in it is refused.
        var bad = HandMadeRequest()
        bad.field(10, bytes: Array("m\0x".utf8))
        #expect(raw.send(RawSocket.frame(HandMadeRequest.request(id: 3, [(20, bad.bytes), (20, event(id: 3, code: Array("ok".utf8)))]))))
        let refused = try raw.readResponse()
        #expect(refused.id == 3)
        #expect(refused.error?.message == "intake.client_code: contains a NUL byte", "\(refused)")
        #expect(try await stored(daemon)[.intake] == 1)
        #expect(try await daemon.stop() == 0)
    }

    @Test("defect 4: a field number above 2^29−1 does not decode: INVALID_ARGUMENT and a close")
    func fieldNumberPastLimit() async throws {
        let daemon = try await started()
        defer { daemon.cleanUp() }
        let raw = try RawSocket(unixPath: daemon.socketPath)
        try raw.hello(role: .terminal)
        var ping = HandMadeRequest()
        ping.field(1, varint: 4)
        var payload = HandMadeRequest.request(id: 4, [(11, ping.bytes)])
        payload += HandMadeRequest.varint((UInt64(1) << 29) << 3) + [0x01]  // field 2^29, varint 1
        #expect(raw.send(RawSocket.frame(payload)))
        let r = try raw.readResponse()
        #expect(r.code == .invalidArgument, "answered \(r)")
        #expect(r.error?.message.contains("does not decode") == true)
        #expect(raw.waitForEOF().closed)
        #expect(try await daemon.stop() == 0)
    }

    @Test("defect 8: a client code of 1 letter and 3,000 combining accents (6 KB) is refused; 64 code points pass")
    func codePointsCounted() async throws {
        let daemon = try await started()
        defer { daemon.cleanUp() }
        let raw = try RawSocket(unixPath: daemon.socketPath)
        try raw.hello(role: .terminal)
        let long = "a" + String(repeating: "\u{0301}", count: 3000)
        #expect(raw.send(RawSocket.frame(HandMadeRequest.request(id: 2, [(20, event(id: 2, code: Array(long.utf8)))]))))
        let r = try raw.readResponse()
        #expect(r.code == .invalidArgument, "\(r)")
        #expect(r.error?.message == "intake.client_code: 3001 code points; must be 1…64")
        let fits = String(repeating: "\u{00E9}", count: 64)
        #expect(raw.send(RawSocket.frame(HandMadeRequest.request(id: 3, [(20, event(id: 3, code: Array(fits.utf8)))]))))
        #expect(try raw.readResponse().body == .ack(duplicate: false))
        #expect(try await stored(daemon)[.intake] == 1)
        #expect(try await daemon.stop() == 0)
    }

    @Test("defect 8: every rule the daemon enforces is written in the contract (Proto/dcr/v1/dcr.proto)", arguments: [
        "occurred_at_ms before 2000-01-01",
        "municipality code, 0…999",
        "kind is required",
        "target is required",
        "1-64 Unicode code points",
        "no NUL",
        "reason is required",
        "at most the daemon's maximum",
        "(max-suspension, default 24 hours)",
        "`suspension_id` is required",
        "unknown ids are NOT_FOUND",
        "already voided is FAILED_PRECONDITION",
        "(void-window, default 24 hours, by the daemon's clock)",
        "an amend that changes the kind is INVALID_ARGUMENT",
        "events need the admin role (PERMISSION_DENIED otherwise)",
    ])
    func rulesInContract(rule: String) throws {
        let proto = try String(contentsOf: DaemonProcess.repositoryRoot.appendingPathComponent("Proto/dcr/v1/dcr.proto"), encoding: .utf8)
        #expect(proto.contains(rule), "the contract does not say \"\(rule)\"")
    }
}
