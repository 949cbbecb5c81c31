@testable import DCRServer
import DCRModel
import DCRWire
import NIOCore
import NIOEmbedded
import Testing

/// The connection pipeline as `DaemonServer` builds it, driven through `EmbeddedChannel`.
@Suite("A connection, end to end through its pipeline")
struct SessionPipelineTests {
    @Test("answers leave in request order: a Ping waits behind an acknowledgement still committing")
    func replyOrder() throws {
        let c = try EmbeddedConversation()
        try c.hello()
        c.log.hold()
        try c.send(Request(id: 2, .event(Room.intake(2))), Request(id: 3, .ping(nonce: 9)), Request(id: 4, .event(Room.intake(4))))
        #expect(try c.answers().isEmpty, "the Pong must not overtake the Ack")
        c.log.release()
        let answers = try c.answers()
        #expect(answers.map(\.id) == [2, 3, 4])
        #expect(answers[0].body == .ack(duplicate: false) && answers[1].body == .pong(nonce: 9))
        #expect(c.log.stored.storedAsAppended.count == 2)
    }

    @Test("with max-in-flight answers owed the connection stops reading, and reads again at half")
    func readHolding() throws {
        let c = try EmbeddedConversation { $0.maxInFlight = 2 }
        try c.hello()
        c.log.hold()
        try c.send(Request(id: 2, .event(Room.intake(2))), Request(id: 3, .event(Room.intake(3))))
        let before = c.reads.reads
        c.channel.read()
        #expect(c.reads.reads == before, "two owed: the read must not reach the socket")
        c.log.release()
        #expect(c.reads.reads == before + 1, "the held read resumes once answers leave")
        #expect(try c.answers().map(\.id) == [2, 3])
        c.channel.read()
        #expect(c.reads.reads == before + 2)
    }

    @Test("a bad frame after pipelined events: their acknowledgements first, then the refusal, then the close")
    func refusalAfterAcks() throws {
        let c = try EmbeddedConversation()
        try c.hello()
        c.log.hold()
        try c.send(Request(id: 2, .event(Room.intake(2))), Request(id: 3, .event(Room.intake(3))))
        // A frame whose payload is not a Request: a length-delimited field 1 that claims 5 bytes and has 1.
        try c.sendBytes([0, 0, 0, 0, 3, 0x0A, 0x05, 0x01])
        #expect(try c.answers().isEmpty)
        #expect(!c.isClosed, "acknowledgements are still owed")
        c.log.release()
        let answers = try c.answers()
        #expect(answers.map(\.id) == [2, 3, 0])
        #expect(answers.prefix(2).allSatisfy { $0.error == nil })
        #expect(answers.last?.code == .invalidArgument)
        #expect(c.isClosed)
        #expect(c.log.stored.storedAsAppended.count == 2)
    }

    @Test("nothing after a refusal is read: a request riding behind it is neither answered nor stored")
    func nothingAfterRefusal() throws {
        let c = try EmbeddedConversation()
        try c.hello()
        var bytes: [UInt8] = [0, 0, 0, 0, 3, 0x0A, 0x05, 0x01]
        var tail = ByteBuffer()
        WireCodec.writeRequestFrame(Request(id: 5, .event(Room.intake(5))), into: &tail)
        bytes += tail.readableBytesView
        try c.sendBytes(bytes)
        let answers = try c.answers()
        #expect(answers.map(\.id) == [0])
        #expect(c.isClosed)
        #expect(c.log.stored.storedAsAppended.isEmpty)
    }

    @Test("a frame larger than max-frame-bytes is refused RESOURCE_EXHAUSTED before its payload is read")
    func frameTooLarge() throws {
        let c = try EmbeddedConversation { $0.maxFrameBytes = 1024 }
        try c.hello()
        try c.sendBytes([0, 0, 0, 0x10, 0])
        let answers = try c.answers()
        #expect(answers.count == 1 && answers[0].code == .resourceExhausted && answers[0].id == 0)
        #expect(c.isClosed)
    }

    @Test("a half-close: what was sent before it is acknowledged, then the connection closes")
    func halfClose() throws {
        let c = try EmbeddedConversation()
        try c.hello()
        c.log.hold()
        try c.send(Request(id: 2, .event(Room.intake(2))))
        c.channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(!c.isClosed)
        c.log.release()
        #expect(try c.answers().map(\.id) == [2])
        #expect(c.isClosed)
    }

    @Test("draining: owed answers are written, what was read after is answered UNAVAILABLE, then close")
    func draining() throws {
        let c = try EmbeddedConversation()
        try c.hello()
        c.log.hold()
        try c.send(Request(id: 2, .event(Room.intake(2))))
        c.channel.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
        let before = c.reads.reads
        c.channel.read()
        #expect(c.reads.reads == before, "a draining connection reads nothing more")
        try c.send(Request(id: 3, .event(Room.intake(3))))
        #expect(!c.isClosed)
        c.log.release()
        let answers = try c.answers()
        #expect(answers.map(\.id) == [2, 3])
        #expect(answers[0].error == nil && answers[1].code == .unavailable)
        #expect(c.isClosed)
        #expect(c.log.stored.storedAsAppended.count == 1)
    }

    @Test("the first request must be Hello")
    func beforeHello() throws {
        let c = try EmbeddedConversation()
        try c.send(Request(id: 7, .ping(nonce: 1)))
        let answers = try c.answers()
        #expect(answers.map(\.id) == [7] && answers[0].code == .failedPrecondition)
        #expect(c.isClosed)
    }

    @Test("a failed Hello is answered only after hello-failure-delay-ms, and a second guess riding along is never judged")
    func failedHello() throws {
        let c = try EmbeddedConversation { $0.helloFailureDelayMs = 700 }
        try c.send(Request(id: 1, .hello(Hello(clientName: "guess", role: .unspecified, credential: "wrong"))),
                   Request(id: 2, .hello(Hello(clientName: "guess", role: .unspecified, credential: Room.adminToken))))
        #expect(try c.answers().isEmpty)
        c.advance(ms: 699)
        #expect(try c.answers().isEmpty && !c.isClosed)
        c.advance(ms: 1)
        let answers = try c.answers()
        #expect(answers.map(\.id) == [1] && answers[0].code == .unauthenticated)
        #expect(c.isClosed)
    }

    @Test("no Hello within hello-timeout: refused and closed, long before the idle timeout")
    func helloDeadline() throws {
        let c = try EmbeddedConversation { $0.helloTimeoutSeconds = 3 }
        c.advance(ms: 2_999)
        #expect(!c.isClosed)
        c.advance(ms: 1)
        let answers = try c.answers()
        #expect(answers.count == 1 && answers[0].code == .unauthenticated && answers[0].id == 0)
        #expect(c.isClosed)
    }

    @Test("roles: a terminal stores events but may not query, reload or take a backup")
    func terminalRole() throws {
        let c = try EmbeddedConversation()
        #expect(try c.hello(Room.terminalToken)?.body == .welcome(Welcome(serverVersion: "test", maxFrameBytes: UInt32(c.configuration.maxFrameBytes),
                                                                          grantedRole: .terminal, serverTimeMs: Room.startMs)))
        try c.send(Request(id: 2, .event(Room.intake(2))), Request(id: 3, .status), Request(id: 4, .reload),
                   Request(id: 5, .backup(to: "/tmp/copy.sqlite")), Request(id: 6, .ping(nonce: 1)))
        let answers = try c.answers()
        #expect(answers.map(\.id) == [2, 3, 4, 5, 6])
        #expect(answers[0].error == nil)
        #expect(answers[1...3].allSatisfy { $0.code == .permissionDenied }, "\(answers)")
        #expect(answers[4].body == .pong(nonce: 1))
        #expect(!c.isClosed, "a request the role may not send is refused, the conversation goes on")
    }

    @Test("roles: a monitor queries but may not store events or take a backup; an admin may")
    func monitorAndAdmin() throws {
        let screen = try EmbeddedConversation()
        try screen.hello(Room.monitorToken)
        try screen.send(Request(id: 2, .event(Room.intake(2))), Request(id: 3, .status), Request(id: 4, .backup(to: "/tmp/copy.sqlite")))
        let seen = try screen.answers()
        #expect(seen.map(\.code) == [.permissionDenied, .ok, .permissionDenied])
        #expect(screen.log.stored.storedAsAppended.isEmpty)

        let lead = try EmbeddedConversation()
        try lead.hello(Room.adminToken)
        try lead.send(Request(id: 2, .backup(to: "/tmp/copy.sqlite")))
        let answer = try lead.answers()
        // This daemon has no store to copy: the desk answers, not the role check.
        #expect(answer.count == 1 && answer[0].code == .unavailable)
    }

    @Test("the role table names a role for every request a role limits")
    func roleTable() {
        #expect(Admission.requiredRole(.backup(to: "/x")) == .admin)
        #expect(Admission.requiredRole(.reload) == .admin)
        #expect(Admission.requiredRole(.event(Room.intake(1))) == .terminal)
        #expect(Admission.requiredRole(.status) == .monitor)
        #expect(Admission.requiredRole(.ping(nonce: 0)) == nil)
        #expect(!Admission.permits(.terminal, .backup(to: "/x")) && !Admission.permits(.monitor, .backup(to: "/x")))
        #expect(Admission.permits(.admin, .backup(to: "/x")) && Admission.permits(.admin, .event(Room.intake(1))))
    }

    @Test("max-request-rate: past the burst a request is refused, and a second later it is allowed again")
    func rateLimit() throws {
        let c = try EmbeddedConversation { $0.maxRequestRate = 3 }
        try c.hello()
        try c.send(Request(id: 2, .ping(nonce: 2)), Request(id: 3, .ping(nonce: 3)), Request(id: 4, .ping(nonce: 4)))
        #expect(try c.answers().map(\.code) == [.ok, .ok, .resourceExhausted], "the Hello took the first of 3")
        c.advance(ms: 1_000)
        try c.send(Request(id: 5, .ping(nonce: 5)))
        #expect(try c.answers().map(\.code) == [.ok])
        #expect(!c.isClosed)
    }

    @Test("a constraint the store enforces is answered as an error, never as an acknowledgement")
    func constraintRefusal() throws {
        let c = try EmbeddedConversation()
        try c.hello()
        c.log.refuse(site: "SKYEN")
        try c.send(Request(id: 2, .event(Room.intake(2, site: "SKYEN"))), Request(id: 3, .event(Room.intake(3))))
        let answers = try c.answers()
        #expect(answers.map(\.id) == [2, 3])
        #expect(answers[0].code == .internal && answers[0].body == .none)
        #expect(answers[1].body == .ack(duplicate: false))
    }

    @Test("a repeated event is acknowledged as a duplicate and stored once")
    func duplicate() throws {
        let c = try EmbeddedConversation()
        try c.hello()
        try c.send(Request(id: 2, .event(Room.intake(2))), Request(id: 3, .event(Room.intake(2))))
        #expect(try c.answers().map(\.body) == [.ack(duplicate: false), .ack(duplicate: true)])
        #expect(c.log.stored.storedAsAppended.count == 1)
    }

    @Test("a string field with a NUL byte is INVALID_ARGUMENT, the conversation goes on")
    func nulInSite() throws {
        let c = try EmbeddedConversation()
        try c.hello()
        // protobuf-c writes strings as C strings, so the NUL is put into the encoded bytes by hand.
        var frames = ByteBuffer()
        WireCodec.writeRequestFrame(Request(id: 2, .event(Room.intake(2, site: "H17Xjunk"))), into: &frames)
        WireCodec.writeRequestFrame(Request(id: 3, .ping(nonce: 3)), into: &frames)
        var bytes = Array(frames.readableBytesView)
        let at = try #require(bytes.indices.first { bytes[$0...].starts(with: Array("H17Xjunk".utf8)) })
        bytes[at + 3] = 0
        try c.sendBytes(bytes)
        let answers = try c.answers()
        #expect(answers.map(\.id) == [2, 3])
        #expect(answers[0].code == .invalidArgument)
        #expect(c.log.stored.storedAsAppended.isEmpty)
    }
}
