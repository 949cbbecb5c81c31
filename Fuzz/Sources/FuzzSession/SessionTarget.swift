@testable import DCRServer
import DCRConfig
import DCRModel
import DCRWire
import Logging
import NIOCore
import NIOEmbedded

/// Target (b): a byte stream, cut at boundaries the input chooses, into the daemon's own
/// connection pipeline (`FrameDecoder` + `ConversationCodec` + `Session`, as `DaemonServer` builds it) on an
/// `EmbeddedChannel`, with a fresh `DaemonCore` over a `MemoryEventLog` per input. Invariants:
///
/// - every request is answered once, in request order, or the connection is closed; a refusal
///   (request id 0) is the last thing written;
/// - nothing is stored twice, and every stored event was acknowledged as stored: nothing is
///   stored for a refusal, and no acknowledgement is lost to a close or a half-close;
/// - everything the daemon writes decodes as a response frame.
///
/// Input layout: byte 0 is a set of switches (`Plan`), bytes 1…4 seed the cut points, the rest
/// is what the client sends.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSession(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let plan = Plan(input) else { return 0 }
    let log = MemoryEventLog()
    let core = DaemonCore(configuration: FuzzDaemon.configuration, calendar: FuzzDaemon.calendar, log: log,
                          pseudonymize: { Pseudonym(text: "p:" + $0.rawValue) }, clock: FuzzDaemon.clock,
                          version: "fuzz", logger: FuzzDaemon.quiet, offLoop: .inline)
    let channel = EmbeddedChannel()
    do {
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(FrameDecoder(maxPayload: FuzzDaemon.configuration.maxFrameBytes)),
            ConversationCodec(),
            Session(core: core, transport: .tcp, logger: FuzzDaemon.quiet),
        ])
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 7411)).wait()
    } catch {
        fail("pipeline setup: \(error)")
    }
    var written = channel.allocator.buffer(capacity: 256)
    drain(channel, into: &written)

    var offset = 0
    var cuts = plan.cuts
    while offset < plan.stream.count, channel.isActive {
        let n = min(cuts.next(), plan.stream.count - offset)
        var chunk = channel.allocator.buffer(capacity: n)
        chunk.writeBytes(plan.stream[offset..<offset + n])
        offset += n
        _ = try? channel.writeInbound(chunk)
        drain(channel, into: &written)
    }
    if plan.halfClose, channel.isActive {
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
    }
    // Every scheduled answer (a failed Hello's, after its delay) is due by now.
    channel.embeddedEventLoop.advanceTime(by: .milliseconds(Int64(FuzzDaemon.configuration.helloFailureDelayMs) + 1))
    if plan.waitPastHelloDeadline {
        channel.embeddedEventLoop.advanceTime(by: .seconds(Int64(FuzzDaemon.configuration.helloTimeoutSeconds) + 1))
    }
    drain(channel, into: &written)
    let closed = !channel.isActive

    Conversation(sent: plan.stream, maxFrameBytes: FuzzDaemon.configuration.maxFrameBytes)
        .verify(written: written, closed: closed, stored: storedEvents(log))
    _ = try? channel.finish(acceptAlreadyClosed: true)
    // Drops what is still scheduled (a refusal-log summary), which would otherwise keep the loop alive.
    try? channel.embeddedEventLoop.syncShutdownGracefully()
    return 0
}

/// Moves everything the session wrote into `buffer`.
func drain(_ channel: EmbeddedChannel, into buffer: inout ByteBuffer) {
    while let out = try? channel.readOutbound(as: ByteBuffer.self) {
        var out = out
        buffer.writeBuffer(&out)
    }
}

func storedEvents(_ log: MemoryEventLog) -> [Event] {
    // As appended, not as replay folds them: a Void or an Amend is stored and acknowledged too.
    log.storedAsAppended
}
