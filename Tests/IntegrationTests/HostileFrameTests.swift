import DCRClient
import DCRModel
import DCRWire
import Foundation
import Synchronization
import Testing

/// Frames no well-behaved client sends, over a raw Unix socket, against the real dcrd.
///
/// Each test keeps a second, well-behaved connection (`DaemonConnection`) open and checks it
/// answers before, between and after the hostile frames, that the daemon process is still
/// running, and that `Status.rejected_frames` counts each refusal under its reason.
@Suite("Hostile frames: the daemon answers as the contract says and stays up", .serialized)
struct HostileFrameTests {
    // MARK: helpers

    /// A fresh daemon plus an admin connection that must keep working throughout.
    private func start(_ configuration: String = "") async throws -> (DaemonProcess, DaemonConnection) {
        let daemon = try DaemonProcess(configuration: configuration)
        try await daemon.start()
        let good = try await daemon.connect(role: .admin)
        try await expectHealthy(daemon, good)
        return (daemon, good)
    }

    private static let nonces = Nonces()

    /// The well-behaved connection answers a ping and a Status; the process is alive. Returns the status.
    @discardableResult
    private func expectHealthy(_ daemon: DaemonProcess, _ good: DaemonConnection,
                               sourceLocation: SourceLocation = #_sourceLocation) async throws -> StatusSnapshot {
        #expect(daemon.process?.isRunning == true, "dcrd is not running:\n\(daemon.log)", sourceLocation: sourceLocation)
        let nonce = Self.nonces.next()
        let answers = try await good.sendAll([.ping(nonce: nonce), .status])
        #expect(answers[0].body == .pong(nonce: nonce), sourceLocation: sourceLocation)
        guard case .status(let status) = answers[1].body else {
            Issue.record("no status: \(answers[1])", sourceLocation: sourceLocation)
            return StatusSnapshot()
        }
        return status
    }

    /// Expects one response with `code` (and `id`), then EOF.
    private func expectRefusalAndClose(_ raw: RawSocket, _ code: StatusCode, id: UInt64 = 0, containing text: String? = nil,
                                       sourceLocation: SourceLocation = #_sourceLocation) throws {
        let r = try raw.readResponse()
        #expect(r.code == code, "\(r)", sourceLocation: sourceLocation)
        #expect(r.id == id, sourceLocation: sourceLocation)
        #expect(r.body == .none, sourceLocation: sourceLocation)
        if let text { #expect(r.error?.message.contains(text) == true, "\(r.error?.message ?? "no message")", sourceLocation: sourceLocation) }
        let end = raw.waitForEOF()
        #expect(end.closed, "the connection stayed open", sourceLocation: sourceLocation)
        #expect(end.extraBytes == 0, "bytes after the refusal", sourceLocation: sourceLocation)
    }

    private func ping(_ id: UInt64) -> [UInt8] {
        RawSocket.frame(WireCodec.encodeRequest(Request(id: id, .ping(nonce: id))))
    }

    private func intake(_ n: Int) -> Request.Body {
        .event(.intake(Intake(header: EventHeader(id: EventID(high: 0xABCD, low: UInt64(n)), site: "H17",
                                                  occurredAtMs: DaemonProcess.testClockStartMs - 1000, booth: 1),
                              client: .code(ClientCode("hostile-\(n)")), gender: .female, age: 30,
                              substance: .heroin, route: .smoking)))
    }

    // MARK: size limit

    @Test("a length of 4 GiB - 1 is refused with RESOURCE_EXHAUSTED from the 5-byte header alone, then EOF")
    func fourGiB() async throws {
        let (daemon, good) = try await start()
        defer { daemon.cleanUp() }
        for beforeHello in [false, true] {
            let raw = try RawSocket(unixPath: daemon.socketPath)
            if !beforeHello { try raw.hello() }
            #expect(raw.send(RawSocket.header(length: 0xFFFF_FFFF)))
            try expectRefusalAndClose(raw, .resourceExhausted, containing: "4294967295")
            try await expectHealthy(daemon, good)
        }
        let status = try await expectHealthy(daemon, good)
        #expect(status.rejectedFrames["frame_too_large"] == 2)
        await good.close()
        #expect(try await daemon.stop() == 0)
    }

    @Test("64 KiB + 1 is refused right after the header: the daemon never waits for the payload")
    func oneOverTheLimit() async throws {
        let (daemon, good) = try await start()
        defer { daemon.cleanUp() }
        let raw = try RawSocket(unixPath: daemon.socketPath)
        try raw.hello()
        // Only the header goes out. Were the daemon reading (or allocating) the 65,537 bytes
        // first, no answer could come: the refusal arriving proves it judged the header alone.
        #expect(raw.send(RawSocket.header(length: 64 * 1024 + 1)))
        try expectRefusalAndClose(raw, .resourceExhausted, containing: "65537")
        // Exactly the limit is fine.
        let fits = try RawSocket(unixPath: daemon.socketPath)
        try fits.hello()
        #expect(fits.send(paddedPing(id: 9, total: 64 * 1024)))
        #expect(try fits.readResponse().body == .pong(nonce: 9))
        let status = try await expectHealthy(daemon, good)
        #expect(status.rejectedFrames["frame_too_large"] == 1)
        await good.close()
    }

    /// A Ping request padded with an unknown field (number 1000) to exactly `total` payload bytes.
    private func paddedPing(id: UInt64, total: Int) -> [UInt8] {
        let ping = WireCodec.encodeRequest(Request(id: id, .ping(nonce: id)))
        let tag = varint(1000 << 3 | 2)
        var padding = total - ping.count - tag.count - 1
        while padding + varint(UInt64(padding)).count + tag.count + ping.count > total { padding -= 1 }
        let payload = ping + tag + varint(UInt64(padding)) + [UInt8](repeating: 0x61, count: padding)
        precondition(payload.count == total, "padding arithmetic: \(payload.count) != \(total)")
        return RawSocket.frame(payload)
    }

    private func varint(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        repeat {
            out.append(UInt8(v & 0x7F) | (v > 0x7F ? 0x80 : 0))
            v >>= 7
        } while v > 0
        return out
    }

    // MARK: flags

    @Test("the compression flag and reserved flag bits are INVALID_ARGUMENT and a close", arguments: [
        (UInt8(0x01), "compressed"), (UInt8(0x02), "reserved"), (UInt8(0x80), "reserved"), (UInt8(0xFF), "compressed"),
    ])
    func badFlags(flags: UInt8, wording: String) async throws {
        let (daemon, good) = try await start()
        defer { daemon.cleanUp() }
        let raw = try RawSocket(unixPath: daemon.socketPath)
        try raw.hello()
        #expect(raw.send(RawSocket.frame(WireCodec.encodeRequest(Request(id: 2, .ping(nonce: 2))), flags: flags)))
        try expectRefusalAndClose(raw, .invalidArgument, containing: wording)
        let status = try await expectHealthy(daemon, good)
        #expect(status.rejectedFrames["bad_flags"] == 1)
        await good.close()
    }

    // MARK: random payloads

    @Test("random and mutated payloads: INVALID_ARGUMENT and a close, or an answer on an open connection")
    func randomPayloads() async throws {
        let (daemon, good) = try await start()
        defer { daemon.cleanUp() }
        var rng = SplitMix64(seed: 0x5EED_F00D)
        let valid: [[UInt8]] = [
            WireCodec.encodeRequest(Request(id: 3, intake(1))),
            WireCodec.encodeRequest(Request(id: 4, .load(site: "H17"))),
            WireCodec.encodeRequest(Request(id: 5, .report(ReportQuery(measure: .intakes, from: LocalDate(parsing: "2026-03-01")!,
                                                                       to: LocalDate(parsing: "2026-03-13")!, groupBy: [.site, .gender])))),
        ]
        var closedUndecodable = 0
        var answeredOpen = 0
        for n in 0..<120 {
            let payload: [UInt8]
            if n % 2 == 0 {
                payload = (0..<Int.random(in: 1...300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                var bytes = valid[n % valid.count]
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
                }
                payload = bytes
            }
            let raw = try RawSocket(unixPath: daemon.socketPath)
            try raw.hello(id: 1)
            #expect(raw.send(RawSocket.frame(payload)))
            let first = try raw.readResponse()
            // Is the connection still open? A ping answers that: its pong, or EOF. (A mutated
            // request may have become a Watch, whose stream of loads comes first.)
            let probe: UInt64 = 0xFFFF_0000 + UInt64(n)
            _ = raw.send(ping(probe))  // fails if the daemon has closed; EOF below tells
            var open = false
            reading: for _ in 0..<10_000 {
                switch raw.readFrame() {
                case .frame(_, let bytes):
                    let r = try WireCodec.decodeResponse(.init(bytes: bytes))
                    if r.id == probe { open = r.body == .pong(nonce: probe); break reading }
                case .eof:
                    break reading
                case .timeout:
                    Issue.record("payload \(n) \(payload): no pong and no EOF within the deadline")
                    break reading
                }
            }
            if open {
                answeredOpen += 1
            } else {
                #expect(first.code == .invalidArgument, "payload \(n) closed the connection with \(first)")
                #expect(first.error?.message.contains("does not decode") == true, "\(first)")
                closedUndecodable += 1
            }
            if n % 20 == 19 { try await expectHealthy(daemon, good) }
        }
        #expect(closedUndecodable > 0)
        #expect(answeredOpen > 0, "no mutation produced a valid request: the test lost its edge")
        let status = try await expectHealthy(daemon, good)
        #expect(status.rejectedFrames["undecodable"] == UInt64(closedUndecodable))
        #expect(daemon.process?.isRunning == true)
        await good.close()
        #expect(try await daemon.stop() == 0)
    }

    // MARK: truncation

    @Test("a frame cut off by EOF is dropped; the daemon closes that connection and stays up")
    func truncatedFrames() async throws {
        let (daemon, good) = try await start()
        defer { daemon.cleanUp() }
        let pingFrame = ping(7)
        let cases: [(String, [UInt8], Bool)] = [
            ("3 bytes of a header", [0, 0, 0], false),
            ("a header announcing 100 bytes, then 40", RawSocket.header(length: 100) + [UInt8](repeating: 0x08, count: 40), false),
            ("half a ping", Array(pingFrame.prefix(pingFrame.count / 2 + 3)), false),
            ("a whole ping, then half a ping", pingFrame + Array(pingFrame.prefix(6)), true),
        ]
        for (what, bytes, answersPing) in cases {
            let raw = try RawSocket(unixPath: daemon.socketPath)
            try raw.hello()
            #expect(raw.send(bytes), "\(what)")
            raw.shutdownWrite()
            if answersPing { #expect(try raw.readResponse().body == .pong(nonce: 7), "\(what)") }
            let end = raw.waitForEOF()
            #expect(end.closed, "\(what): the daemon did not close after EOF")
            #expect(end.extraBytes == 0, "\(what): the daemon answered a partial frame")
            try await expectHealthy(daemon, good)
        }
        // A raw connection that vanishes mid-frame without a half-close.
        let raw = try RawSocket(unixPath: daemon.socketPath)
        #expect(raw.send(RawSocket.header(length: 1000) + [1, 2, 3]))
        raw.closeNow()
        let status = try await expectHealthy(daemon, good)
        #expect(status.rejectedFrames.isEmpty, "truncation is not a refusal: \(status.rejectedFrames)")
        await good.close()
        #expect(try await daemon.stop() == 0)
    }

    // MARK: Hello first

    @Test("requests before Hello are FAILED_PRECONDITION and a close, echoing the request's id")
    func beforeHello() async throws {
        let (daemon, good) = try await start()
        defer { daemon.cleanUp() }
        let bodies: [Request.Body] = [.ping(nonce: 1), .status, .load(site: nil), intake(1), .cancel(watchID: 3)]
        for (i, body) in bodies.enumerated() {
            let raw = try RawSocket(unixPath: daemon.socketPath)
            let id = UInt64(40 + i)
            #expect(raw.send(Request(id: id, body)))
            try expectRefusalAndClose(raw, .failedPrecondition, id: id, containing: "hello")
            try await expectHealthy(daemon, good)
        }
        // The event was not stored.
        let status = try await expectHealthy(daemon, good)
        #expect(status.eventsStored[.intake] ?? 0 == 0)
        #expect(status.rejectedFrames["before_hello"] == UInt64(bodies.count))
        await good.close()
    }

    @Test("Status counts every refusal under its reason")
    func reasonsAreCounted() async throws {
        let (daemon, good) = try await start()
        defer { daemon.cleanUp() }
        let tooLarge = try RawSocket(unixPath: daemon.socketPath)
        #expect(tooLarge.send(RawSocket.header(length: 70_000)))
        try expectRefusalAndClose(tooLarge, .resourceExhausted)
        let flags = try RawSocket(unixPath: daemon.socketPath)
        #expect(flags.send(RawSocket.frame([], flags: 0x40)))
        try expectRefusalAndClose(flags, .invalidArgument)
        let garbage = try RawSocket(unixPath: daemon.socketPath)
        #expect(garbage.send(RawSocket.frame([0xFF, 0xFF, 0xFF])))
        try expectRefusalAndClose(garbage, .invalidArgument)
        let early = try RawSocket(unixPath: daemon.socketPath)
        #expect(early.send(ping(8)))
        try expectRefusalAndClose(early, .failedPrecondition, id: 8)
        let status = try await expectHealthy(daemon, good)
        #expect(status.rejectedFrames == ["frame_too_large": 1, "bad_flags": 1, "undecodable": 1, "before_hello": 1])
        await good.close()
    }

    // MARK: configurable limits

    @Test("max-frame-bytes 1024: Welcome says so, 1024 bytes pass, 1025 are RESOURCE_EXHAUSTED")
    func configuredFrameLimit() async throws {
        let (daemon, good) = try await start("max-frame-bytes 1024")
        defer { daemon.cleanUp() }
        #expect(good.welcome.maxFrameBytes == 1024)
        let raw = try RawSocket(unixPath: daemon.socketPath)
        try raw.hello()
        #expect(raw.send(paddedPing(id: 5, total: 1024)))
        #expect(try raw.readResponse().body == .pong(nonce: 5))
        #expect(raw.send(RawSocket.header(length: 1025)))
        try expectRefusalAndClose(raw, .resourceExhausted, containing: "1024")
        let status = try await expectHealthy(daemon, good)
        #expect(status.rejectedFrames["frame_too_large"] == 1)
        await good.close()
    }

    @Test("max-connections 3: the 4th connection is refused with RESOURCE_EXHAUSTED; a freed place is usable again")
    func configuredConnectionLimit() async throws {
        let (daemon, good) = try await start("max-connections 3")
        defer { daemon.cleanUp() }
        // Hello on each proves the daemon has counted it before the next one arrives.
        let a = try RawSocket(unixPath: daemon.socketPath)
        try a.hello()
        let b = try RawSocket(unixPath: daemon.socketPath)
        try b.hello()
        let fourth = try RawSocket(unixPath: daemon.socketPath)
        try expectRefusalAndClose(fourth, .resourceExhausted, containing: "too many connections")
        try await expectHealthy(daemon, good)
        a.closeNow()
        // The daemon notices the close asynchronously: retry with a deadline.
        let deadline = ContinuousClock.now + .seconds(10)
        var admitted = false
        var refusals = 1
        while !admitted && ContinuousClock.now < deadline {
            let c = try RawSocket(unixPath: daemon.socketPath)
            #expect(c.send(Request(id: 1, .hello(Hello(clientName: "raw", role: .terminal)))))
            let r = try c.readResponse()
            if case .welcome = r.body { admitted = true } else {
                #expect(r.code == .resourceExhausted, "\(r)")
                refusals += 1
                try await Task.sleep(for: .milliseconds(20))
            }
        }
        #expect(admitted, "no place freed within 10 s after a connection closed")
        let status = try await expectHealthy(daemon, good)
        #expect(status.rejectedFrames["too_many_connections"] == UInt64(refusals))
        _ = b
        await good.close()
    }

    @Test("idle-timeout 1: a silent connection is closed; a talking one stays")
    func configuredIdleTimeout() async throws {
        let (daemon, good) = try await start("idle-timeout 1")
        defer { daemon.cleanUp() }
        let silent = try RawSocket(unixPath: daemon.socketPath, timeout: .milliseconds(200))
        try silent.hello()
        let began = ContinuousClock.now
        let deadline = began + .seconds(10)
        var closed = false
        // Wait for the close in slices, and keep the good connection talking between them.
        while !closed && ContinuousClock.now < deadline {
            let end = silent.waitForEOF()
            #expect(end.extraBytes == 0)
            closed = end.closed
            try await expectHealthy(daemon, good)
        }
        let waited = ContinuousClock.now - began
        #expect(closed, "the silent connection was not closed within 10 s")
        #expect(waited >= .milliseconds(900), "closed after \(waited): before the idle timeout")
        try await expectHealthy(daemon, good)
        await good.close()
    }

    @Test("max-request-rate 5: a burst beyond it is RESOURCE_EXHAUSTED, in order, and the connection stays open")
    func configuredRequestRate() async throws {
        let daemon = try DaemonProcess(configuration: "max-request-rate 5")
        defer { daemon.cleanUp() }
        try await daemon.start()
        // The good connection is rate-limited too: Hello + one ping now, one status at the end.
        let good = try await daemon.connect(role: .admin)
        #expect(try await good.send(.ping(nonce: 1)).body == .pong(nonce: 1))

        let raw = try RawSocket(unixPath: daemon.socketPath)
        try raw.hello()  // one of the 5
        let burst = 20
        #expect(raw.send((0..<burst).flatMap { ping(100 + UInt64($0)) }))
        var pongs = 0
        var limited = 0
        for i in 0..<burst {
            let r = try raw.readResponse()
            #expect(r.id == 100 + UInt64(i), "responses out of order")
            if r.body == .pong(nonce: r.id) { pongs += 1 } else {
                #expect(r.code == .resourceExhausted, "\(r)")
                #expect(r.error?.message.contains("rate limit") == true)
                limited += 1
            }
        }
        #expect((1...6).contains(pongs), "\(pongs) of \(burst) passed a limit of 5/s with 4 tokens left")
        #expect(limited >= burst - 6)
        // Still open: tokens come back over time; poll until a ping passes.
        let deadline = ContinuousClock.now + .seconds(10)
        var answered = false
        var id: UInt64 = 500
        while !answered && ContinuousClock.now < deadline {
            #expect(raw.send(ping(id)), "the daemon closed the rate-limited connection")
            let r = try raw.readResponse()
            if r.body == .pong(nonce: id) { answered = true } else {
                limited += 1
                try await Task.sleep(for: .milliseconds(50))
            }
            id += 1
        }
        #expect(answered)
        #expect(daemon.process?.isRunning == true)
        guard case .status(let status) = try await good.send(.status).body else { Issue.record("no status"); return }
        #expect(status.rejectedFrames["rate_limited"] == UInt64(limited))
        await good.close()
    }
}

/// Distinct ping nonces for the well-behaved connection.
final class Nonces: Sendable {
    private let counter = Atomic<UInt64>(1)
    func next() -> UInt64 { counter.add(1, ordering: .relaxed).newValue }
}
