@testable import DCRServer
import DCRConfig
import DCRModel
import DCRWire
import Logging
import NIOCore
import NIOEmbedded

/// Tokens, sites and the instant every conversation starts at: no wall clock.
enum Room {
    static let adminToken = "lead-token-0123456789abcdef012345"
    static let terminalToken = "booth-token-0123456789abcdef01234"
    static let monitorToken = "screen-token-0123456789abcdef0123"
    /// 2026-01-01T00:00:00Z.
    static let startMs: Int64 = 1_767_225_600_000
    static let quiet = Logger(label: "dcr.test", factory: { _ in SwiftLogNoOpLogHandler() })
    static let calendar = LocalCalendar()!

    static func configuration() -> DaemonConfiguration {
        var c = DaemonConfiguration(listen: [], stateDirectory: "/nonexistent/dcr-server-tests")
        c.tokens = [
            TerminalToken(name: "lead", role: .admin, secret: Array(adminToken.utf8)),
            TerminalToken(name: "booth", role: .terminal, secret: Array(terminalToken.utf8)),
            TerminalToken(name: "screen", role: .monitor, secret: Array(monitorToken.utf8)),
        ]
        return c
    }

    static func intake(_ n: Int, site: String = "H17") -> Event {
        .intake(Intake(header: EventHeader(id: EventID(high: 0x0190_0000_0000_7000, low: UInt64(n) | 0x8000_0000_0000_0000),
                                           site: site, occurredAtMs: startMs - 60_000 + Int64(n), booth: 1),
                       client: .code(ClientCode("client-\(n % 7)")), gender: .female, age: 30,
                       municipality: 101, substance: .heroin, route: .smoking))
    }
}

/// Counts the `read()` calls that reach the front of the pipeline: whether the session reads.
final class ReadCounter: ChannelOutboundHandler {
    typealias OutboundIn = ByteBuffer
    private(set) var reads = 0

    func read(context: ChannelHandlerContext) {
        reads += 1
        context.read()
    }
}

/// One client talking to the daemon's real connection pipeline (`FrameDecoder`,
/// `ConversationCodec`, `Session`, as `DaemonServer` builds it) on an `EmbeddedChannel`, over a
/// `HeldEventLog`, with a clock the test moves.
final class EmbeddedConversation {
    let channel = EmbeddedChannel()
    let log = HeldEventLog()
    let time = ManualTime(startingAtMs: Room.startMs)
    let reads = ReadCounter()
    let core: DaemonCore
    let configuration: DaemonConfiguration
    private var received = ByteBuffer()

    init(_ configure: (inout DaemonConfiguration) -> Void = { _ in }) throws {
        var c = Room.configuration()
        configure(&c)
        configuration = c
        core = DaemonCore(configuration: c, calendar: Room.calendar, log: log,
                          pseudonymize: { Pseudonym(text: "p:" + $0.rawValue) }, clock: DaemonClock(manual: time),
                          version: "test", logger: Room.quiet, offLoop: .inline)
        try channel.pipeline.syncOperations.addHandlers([
            reads,
            ByteToMessageHandler(FrameDecoder(maxPayload: c.maxFrameBytes)),
            ConversationCodec(),
            Session(core: core, transport: .tcp, logger: Room.quiet),
        ])
        try channel.connect(to: SocketAddress(ipAddress: "192.0.2.7", port: 7411)).wait()
    }

    deinit {
        _ = try? channel.finish(acceptAlreadyClosed: true)
        try? channel.embeddedEventLoop.syncShutdownGracefully()
    }

    /// The requests as frames, in one piece.
    func send(_ requests: Request...) throws {
        var buffer = channel.allocator.buffer(capacity: 256)
        for r in requests { WireCodec.writeRequestFrame(r, into: &buffer) }
        try channel.writeInbound(buffer)
    }

    func sendBytes(_ bytes: [UInt8]) throws {
        try channel.writeInbound(channel.allocator.buffer(bytes: bytes))
    }

    /// Hello with a token; returns the Welcome's answer.
    @discardableResult
    func hello(_ token: String = Room.adminToken, id: UInt64 = 1) throws -> Response? {
        try send(Request(id: id, .hello(Hello(clientName: "booth 1", role: .unspecified, credential: token))))
        return try answers().first
    }

    /// Every answer written since the last call, decoded.
    func answers() throws -> [Response] {
        while let out = try channel.readOutbound(as: ByteBuffer.self) {
            var out = out
            received.writeBuffer(&out)
        }
        var decoded: [Response] = []
        while received.readableBytes >= Frame.headerSize,
              let length = received.getInteger(at: received.readerIndex + 1, endianness: .big, as: UInt32.self),
              received.readableBytes >= Frame.headerSize + Int(length) {
            received.moveReaderIndex(forwardBy: Frame.headerSize)
            let payload = received.readSlice(length: Int(length))!
            decoded.append(try WireCodec.decodeResponse(payload))
        }
        return decoded
    }

    var isClosed: Bool { !channel.isActive }

    func advance(ms: Int64) {
        time.advance(byMs: ms)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(ms))
    }
}
