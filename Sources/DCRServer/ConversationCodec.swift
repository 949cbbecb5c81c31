import DCRWire
import NIOCore

/// Frame payloads in, `DecodedRequest`s out; `Response`s in, frames out.
///
/// Sits between `FrameDecoder` (which cuts the stream into payloads) and `Session`, so that the
/// session deals in values only. A payload that is not a request is passed on as the
/// `WireDecodeError` it is (`errorCaught`): the session decides what a refusal means for the
/// conversation, this handler only knows bytes.
///
/// Answers written before a flush go out as one buffer: a delivery of a commit's Acks to a
/// connection with 64 events in flight is one allocation and one entry in the channel's write
/// queue, not 64 of each. As with the channel itself, what is written but never flushed is not
/// sent.
final class ConversationCodec: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = DecodedRequest
    typealias OutboundIn = Response
    typealias OutboundOut = ByteBuffer

    private var outgoing: ByteBuffer?
    private var promise: EventLoopPromise<Void>?

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            let decoded = try WireCodec.decodeRequest(unwrapInboundIn(data))
            context.fireChannelRead(wrapInboundOut(decoded))
        } catch {
            context.fireErrorCaught(error)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if outgoing == nil { outgoing = context.channel.allocator.buffer(capacity: 256) }
        WireCodec.writeResponseFrame(unwrapOutboundIn(data), into: &outgoing!)
        if let promise {
            if let earlier = self.promise { earlier.futureResult.cascade(to: promise) } else { self.promise = promise }
        }
    }

    func flush(context: ChannelHandlerContext) {
        if let buffer = outgoing {
            let promise = self.promise
            outgoing = nil
            self.promise = nil
            context.write(wrapOutboundOut(buffer), promise: promise)
        }
        context.flush()
    }

    func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        if mode != .input { dropUnflushed() }
        context.close(mode: mode, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) { dropUnflushed() }

    private func dropUnflushed() {
        outgoing = nil
        let promise = self.promise
        self.promise = nil
        promise?.fail(ChannelError.ioOnClosedChannel)
    }
}
