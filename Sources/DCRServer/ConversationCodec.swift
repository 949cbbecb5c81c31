import DCRWire
import NIOCore

/// Frame payloads in, `DecodedRequest`s out; `Response`s in, frames out.
///
/// Sits between `FrameDecoder` (which cuts the stream into payloads) and `Session`, so that the
/// session deals in values only. A payload that is not a request is passed on as the
/// `WireDecodeError` it is (`errorCaught`): the session decides what a refusal means for the
/// conversation, this handler only knows bytes.
final class ConversationCodec: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = DecodedRequest
    typealias OutboundIn = Response
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        do {
            let decoded = try WireCodec.decodeRequest(unwrapInboundIn(data))
            context.fireChannelRead(wrapInboundOut(decoded))
        } catch {
            context.fireErrorCaught(error)
        }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var buffer = context.channel.allocator.buffer(capacity: 64)
        WireCodec.writeResponseFrame(unwrapOutboundIn(data), into: &buffer)
        context.write(wrapOutboundOut(buffer), promise: promise)
    }
}
