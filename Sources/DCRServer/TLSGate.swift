import DCRConfig
import DCRModel
import Logging
import NIOCore
import NIOSSL
import NIOTLS

/// Sits behind the TLS handler: turns a completed handshake into the terminal's identity for the
/// session, and a failed one into exactly one log line (and a count in Status), then closes.
final class TLSGate: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private let core: DaemonCore
    private let logger: Logger
    private var established = false
    private var refused = false

    init(core: DaemonCore, logger: Logger) {
        self.core = core
        self.logger = logger
    }

    /// The TLS handler for a new connection: BoringSSL verifies the chain and the dates, then
    /// the certificate's name must have a `tls-client` line, still inside the handshake.
    static func serverHandler(_ material: TLSMaterial, core: DaemonCore) -> NIOSSLServerHandler {
        NIOSSLServerHandler._makeSSLServerHandler(context: material.context) { certificate, channel in
            if TerminalCertificate.matching(certificate, core.configuration.tls) != nil {
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            let shown = TerminalCertificate.names(of: certificate).first.map { EventRules.printable($0) } ?? "(none)"
            return channel.eventLoop.makeFailedFuture(TLSRefusal.unknownName(shown))
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event, !established {
            established = true
            let certificate = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self).peerCertificate
            guard let certificate, let identity = TerminalCertificate.matching(certificate, core.configuration.tls) else {
                refuse(context, .unknownName("(changed by a reload)"))
                return
            }
            context.fireUserInboundEventTriggered(identity)
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard established, !refused else { return }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if established {
            context.fireErrorCaught(error)
            return
        }
        refuse(context, TLSRefusal(error))
    }

    private func refuse(_ context: ChannelHandlerContext, _ refusal: TLSRefusal) {
        guard !refused else { return }
        refused = true
        core.frameRejected(refusal.reason)
        logger.notice("tls handshake refused: \(refusal.explanation)", metadata: [
            "reason": "\(refusal.reason)",
            "peer": "\(context.channel.remoteAddress.map { "\($0)" } ?? "?")",
        ])
        context.close(promise: nil)
    }
}
