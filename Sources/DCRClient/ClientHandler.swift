import DCRModel
import DCRWire
import NIOCore

/// Matches responses to their requests by id; streams watch items to their consumer.
final class ClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private var unary: [UInt64: EventLoopPromise<Response>] = [:]
    private var streams: [UInt64: AsyncThrowingStream<Response, any Error>.Continuation] = [:]

    func register(id: UInt64, promise: EventLoopPromise<Response>) { unary[id] = promise }

    func register(id: UInt64, stream: AsyncThrowingStream<Response, any Error>.Continuation) { streams[id] = stream }

    func unregisterStream(id: UInt64) { streams.removeValue(forKey: id)?.finish() }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let payload = unwrapInboundIn(data)
        let response: Response
        do {
            response = try WireCodec.decodeResponse(payload)
        } catch {
            failAll(ClientError.protocolViolation("\(error)"))
            context.close(promise: nil)
            return
        }
        if let p = unary.removeValue(forKey: response.id) {
            p.succeed(response)
        } else if let s = streams[response.id] {
            s.yield(response)
        } else if response.id == 0, let error = response.error {
            // A connection-level refusal (frame too large, too many connections).
            failAll(ClientError.refused(error))
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(ClientError.connectionClosed)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        let u = unary
        unary.removeAll()
        for p in u.values { p.fail(error) }
        let s = streams
        streams.removeAll()
        for c in s.values { c.finish(throwing: error) }
    }
}
