import DCRConfig
import DCRModel
import DCRWire
import Dispatch
import Logging
import NIOCore

/// One client connection: Hello first, then requests answered in order, with backpressure.
///
/// Unary responses leave in request order even though event acknowledgements complete later,
/// on the store's writer thread: each request takes a slot in `pending`, and slots are written
/// from the head as they fill. With `maxInFlight` slots taken the session stops reading, so a
/// terminal that pipelines faster than the disk commits is slowed down, not buffered without end.
final class Session: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let core: DaemonCore
    private let transport: TransportKind
    private var logger: Logger
    private var peer: Transport?
    private var role: Role?
    /// The Hello's client name: who a correction from this connection is stored as made by.
    private var clientName = ""
    private var admitted = false
    private var counted = false
    /// Who the per-peer cap counts: the TCP address, or the uid on the Unix socket.
    private var peerKey = ""
    private var helloDeadline: Scheduled<Void>?
    private var draining = false
    private var closing = false
    /// Nothing more is read: after a refusal or the client's half-close. The connection closes
    /// once every answer already owed (acknowledgements still committing) is written.
    private var finishing = false
    private var readHeld = false

    private var pending = CircularBuffer<Slot>()
    private var headSequence: UInt64 = 0
    private var watches: [UInt64: RepeatedTask] = [:]
    private var rate: TokenBucket?
    private let maxInFlight: Int
    private let maxOutputBytes: Int

    struct Slot {
        var response: Response?
    }

    /// On `.tls` the peer is known only once the handshake's `TerminalCertificate` arrives.
    enum TransportKind { case unix, tcp, tls }

    init(core: DaemonCore, transport: TransportKind, logger: Logger) {
        self.core = core
        self.transport = transport
        self.logger = logger
        let c = core.configuration
        self.maxInFlight = c.maxInFlight
        self.maxOutputBytes = c.maxOutputBytes
        if c.maxRequestRate > 0 { rate = TokenBucket(perSecond: c.maxRequestRate) }
    }

    // MARK: lifecycle

    func channelActive(context: ChannelHandlerContext) {
        switch transport {
        case .tcp:
            peer = .tcp
            peerKey = context.channel.remoteAddress?.ipAddress ?? "tcp"
        case .tls:
            peer = nil
            peerKey = context.channel.remoteAddress?.ipAddress ?? "tls"
        case .unix:
            peer = PeerCredentials.of(context.channel).map { .unix(uid: $0.uid, gid: $0.gid) }
            if case .unix(let uid, _)? = peer { peerKey = "uid \(uid)" } else { peerKey = "unix" }
        }
        if let refusal = core.connectionOpened(peer: peerKey) {
            let (reason, message): (String, String) = switch refusal {
            case .tooMany(let limit): ("too_many_connections", "too many connections (limit \(limit)); try again later")
            case .tooManyFromPeer(let limit): ("too_many_from_peer", "too many connections from this peer (limit \(limit)); try again later")
            case .tooManyUnauthenticated(let limit):
                ("too_many_unauthenticated", "too many connections without hello (limit \(limit)); try again later")
            }
            rejected(context, reason)
            writeNow(context, Response(id: 0, error: StatusError(.resourceExhausted, message)))
            close(context)
            context.fireChannelActive()
            return
        }
        counted = true
        logger[metadataKey: "peer"] = "\(context.channel.remoteAddress.map { "\($0)" } ?? "unix")"
        let seconds = core.configuration.helloTimeoutSeconds
        let loopBound = NIOLoopBound(SessionContext(session: self, context: context), eventLoop: context.eventLoop)
        helloDeadline = context.eventLoop.scheduleTask(in: .seconds(Int64(seconds))) {
            loopBound.value.helloTimedOut(seconds: seconds)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        for task in watches.values { task.cancel() }
        watches.removeAll()
        helloDeadline?.cancel()
        helloDeadline = nil
        if counted { core.connectionClosed(role: role, peer: peerKey) }
        counted = false
        context.fireChannelInactive()
    }

    /// No Hello within `hello-timeout`: a silent connection must not hold a place for the idle timeout.
    fileprivate func helloTimedOut(_ context: ChannelHandlerContext, seconds: Int) {
        guard !admitted else { return }
        refuseAndClose(context, reason: "hello_timeout", StatusError(.unauthenticated, "no hello within \(seconds) s"))
    }

    // MARK: reading

    /// Reads only while fewer than `maxInFlight` answers are owed and the answers already
    /// written are being read by the client (the channel is writable: the unsent bytes are below
    /// `output-buffer-bytes`). A client that never reads is not read either.
    func read(context: ChannelHandlerContext) {
        if draining || closing || finishing { return }
        if pending.count >= maxInFlight || !context.channel.isWritable {
            readHeld = true
            return
        }
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        resumeReading(context)
        context.fireChannelWritabilityChanged()
    }

    private func resumeReading(_ context: ChannelHandlerContext) {
        guard readHeld, pending.count < maxInFlight / 2 + 1, context.channel.isWritable else { return }
        readHeld = false
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if closing || finishing { return }
        let payload = unwrapInboundIn(data)
        let decoded: DecodedRequest
        do {
            decoded = try WireCodec.decodeRequest(payload)
        } catch {
            refuseAndClose(context, reason: "undecodable", StatusError(.invalidArgument, "\(error)"))
            return
        }
        core.unknownEnums(decoded.unknownEnumValues)
        handle(context, decoded.request)
    }

    private func handle(_ context: ChannelHandlerContext, _ request: Request) {
        if draining {
            answer(context, Response(id: request.id, error: StatusError(.unavailable, "the daemon is shutting down; retry later")))
            return
        }
        if var bucket = rate {
            let allowed = bucket.take(nowMs: core.clock.nowMs())
            rate = bucket
            if !allowed {
                rejected(context, "rate_limited")
                answer(context, Response(id: request.id, error: StatusError(.resourceExhausted,
                    "rate limit: more than \(bucket.perSecond) requests per second on one connection")))
                return
            }
        }
        guard admitted, let role else {
            if case .hello(let hello) = request.body {
                welcome(context, request.id, hello)
            } else if case .invalid(let error) = request.body {
                // A Hello whose fields break the rules (a NUL in the credential) is a failed Hello.
                refuseHello(context, request.id, reason: "hello_invalid", error)
            } else {
                refuseAndClose(context, reason: "before_hello", StatusError(.failedPrecondition, "the first request must be hello"), id: request.id)
            }
            return
        }
        guard Admission.permits(role, request.body) else {
            let needed = Admission.requiredRole(request.body)?.label ?? "?"
            answer(context, Response(id: request.id, error: StatusError(.permissionDenied,
                "this request needs role \(needed); this connection is \(role.label)")))
            return
        }
        switch request.body {
        case .hello:
            answer(context, Response(id: request.id, error: StatusError(.failedPrecondition, "hello was already accepted on this connection")))
        case .ping(let nonce):
            answer(context, Response(id: request.id, .pong(nonce: nonce)))
        case .cancel(let watchID):
            watches.removeValue(forKey: watchID)?.cancel()
            answer(context, Response(id: request.id))
        case .event(let event):
            let slot = reserveSlot()
            let loopBound = NIOLoopBound(SessionContext(session: self, context: context), eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            let id = request.id
            core.ingest(event, by: Corrector(name: clientName, role: role)) { result in
                let response: Response
                switch result {
                case .success(let ack):
                    response = Response(id: id, .ack(duplicate: ack.duplicate, suspendedUntilMs: ack.suspendedUntilMs))
                case .failure(let error): response = Response(id: id, error: error)
                }
                if eventLoop.inEventLoop {
                    loopBound.value.fill(slot, response)
                } else {
                    eventLoop.execute { loopBound.value.fill(slot, response) }
                }
            }
        case .status:
            answer(context, Response(id: request.id, .status(core.status())))
        case .load(let site):
            answer(context, result(request.id) { () throws(StatusError) in .load(try core.load(site: site)) })
        case .report(let query):
            // Off the event loop: the terminals this loop also serves are acknowledged while a
            // long report runs.
            let core = self.core
            answerOffLoop(context, request.id) { id in
                do throws(StatusError) { return Response(id: id, .report(try core.report(query))) } catch { return Response(id: id, error: error) }
            }
        case .watch(let interval, let site):
            startWatch(context, id: request.id, intervalMs: interval, site: site)
        case .history(let eventID):
            answer(context, result(request.id) { () throws(StatusError) in .history(try core.history(of: eventID)) })
        case .reload:
            if let refusal = core.requestReload() {
                answer(context, Response(id: request.id, error: refusal))
            } else {
                answer(context, Response(id: request.id))
            }
        case .backup(let path):
            // A copy takes seconds.
            let desk = core.backups
            answerOffLoop(context, request.id) { id in
                switch desk.take(to: path) {
                case .success(let receipt): Response(id: id, .backup(receipt))
                case .failure(let error): Response(id: id, error: error)
                }
            }
        case .invalid(let error):
            answer(context, Response(id: request.id, error: error))
        case .unknown:
            answer(context, Response(id: request.id, error: StatusError(.unimplemented, "request has no body this daemon knows")))
        }
    }

    /// Work that must not hold the event loop (a backup, a report): done by `core.offLoop` and
    /// answered in the slot reserved now, so answers still leave in request order.
    private func answerOffLoop(_ context: ChannelHandlerContext, _ id: UInt64,
                               _ work: @escaping @Sendable (UInt64) -> Response) {
        let slot = reserveSlot()
        let loopBound = NIOLoopBound(SessionContext(session: self, context: context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        core.offLoop.run {
            let response = work(id)
            if eventLoop.inEventLoop {
                loopBound.value.fill(slot, response)
            } else {
                eventLoop.execute { loopBound.value.fill(slot, response) }
            }
        }
    }

    private func result(_ id: UInt64, _ body: () throws(StatusError) -> Response.Body) -> Response {
        do { return Response(id: id, try body()) } catch { return Response(id: id, error: error) }
    }

    private func welcome(_ context: ChannelHandlerContext, _ id: UInt64, _ hello: Hello) {
        guard let peer else {
            refuseAndClose(context, reason: "no_peer_credentials", StatusError(.unauthenticated, "cannot read the peer's credentials"), id: id)
            return
        }
        let c = core.configuration
        switch Admission.admit(hello, transport: peer, configuration: c, daemonUID: PeerCredentials.daemonUID) {
        case .success(let granted):
            admitted = true
            helloDeadline?.cancel()
            helloDeadline = nil
            role = granted
            clientName = hello.clientName
            core.roleGranted(granted)
            logger[metadataKey: "role"] = "\(granted.label)"
            logger.debug("hello accepted", metadata: ["client": "\(EventRules.printable(hello.clientName))"])
            answer(context, Response(id: id, .welcome(Welcome(
                serverVersion: core.version, maxFrameBytes: UInt32(c.maxFrameBytes), grantedRole: granted,
                serverTimeMs: core.clock.nowMs()))))
        case .failure(let error):
            refuseHello(context, id, reason: "hello_refused", error)
        }
    }

    /// A failed Hello ends the connection: nothing after it is read (a second guess riding along
    /// is never judged), and the answer comes only after `hello-failure-delay-ms`, so guessing
    /// tokens costs a connection and that delay per guess.
    private func refuseHello(_ context: ChannelHandlerContext, _ id: UInt64, reason: String, _ error: StatusError) {
        guard !closing && !finishing else { return }
        rejected(context, reason)
        logger.debug("hello refused", metadata: ["reason": "\(reason)"])
        finishing = true
        let loopBound = NIOLoopBound(SessionContext(session: self, context: context), eventLoop: context.eventLoop)
        let response = Response(id: id, error: error)
        context.eventLoop.scheduleTask(in: .milliseconds(Int64(core.configuration.helloFailureDelayMs))) {
            loopBound.value.answerAndClose(response)
        }
    }

    fileprivate func answerAndClose(_ context: ChannelHandlerContext, _ response: Response) {
        writeNow(context, response)
        close(context)
    }

    /// Counted in Status always; in the log at the rate `RefusalLog` allows.
    private func rejected(_ context: ChannelHandlerContext, _ reason: String) {
        core.frameRejected(reason)
        core.refusalLog.record(reason, intervalSeconds: core.configuration.refusalLogIntervalSeconds, on: context.eventLoop)
    }

    // MARK: watch streams

    private func startWatch(_ context: ChannelHandlerContext, id: UInt64, intervalMs: UInt32, site: String?) {
        let c = core.configuration
        let interval = intervalMs == 0 ? c.watchDefaultIntervalMs : max(Int(intervalMs), c.watchMinIntervalMs)
        do {
            _ = try core.load(site: site)
        } catch {
            answer(context, Response(id: id, error: error))
            return
        }
        watches.removeValue(forKey: id)?.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let core = self.core
        watches[id] = context.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(Int64(interval))) { _ in
            let (session, ctx) = loopBound.value
            guard !session.closing else { return }
            let response: Response
            do throws(StatusError) {
                response = Response(id: id, .load(try core.load(site: site)))
            } catch {
                response = Response(id: id, error: error)
            }
            session.writeNow(ctx, response)
        }
    }

    // MARK: writing in order

    private func reserveSlot() -> UInt64 {
        pending.append(Slot(response: nil))
        return headSequence + UInt64(pending.count - 1)
    }

    /// Answers a request that completes at once, keeping request order behind slower ones.
    private func answer(_ context: ChannelHandlerContext, _ response: Response) {
        if pending.isEmpty {
            writeNow(context, response)
        } else {
            let slot = reserveSlot()
            fill(context, slot, response)
        }
    }

    fileprivate func fill(_ context: ChannelHandlerContext, _ slot: UInt64, _ response: Response) {
        guard slot >= headSequence else { return }
        let index = Int(slot - headSequence)
        guard index < pending.count else { return }
        pending[pending.index(pending.startIndex, offsetBy: index)].response = response
        var wrote = false
        while let first = pending.first, let ready = first.response {
            pending.removeFirst()
            headSequence += 1
            write(context, ready)
            wrote = true
        }
        if wrote { flush(context) }
        resumeReading(context)
        if (draining || finishing) && pending.isEmpty { close(context) }
    }

    private func write(_ context: ChannelHandlerContext, _ response: Response) {
        guard context.channel.isActive else { return }
        var buffer = context.channel.allocator.buffer(capacity: 64)
        WireCodec.writeResponseFrame(response, into: &buffer)
        context.write(wrapOutboundOut(buffer), promise: nil)
    }

    private func writeNow(_ context: ChannelHandlerContext, _ response: Response) {
        write(context, response)
        flush(context)
    }

    /// Flushes; a client whose unsent answers pass `max-output-bytes` is closed. (Requests that
    /// were already read when reading stopped are still answered, which is why there are two
    /// limits: output-buffer-bytes stops reading, max-output-bytes ends the connection.)
    private func flush(_ context: ChannelHandlerContext) {
        context.flush()
        guard !closing, let unsent = try? context.channel.syncOptions?.getOption(.bufferedWritableBytes),
              unsent > maxOutputBytes else { return }
        rejected(context, "output_overflow")
        logger.debug("closing connection", metadata: ["reason": "output_overflow", "unsent_bytes": "\(unsent)"])
        close(context)
    }

    // MARK: refusing and closing

    /// The refusal takes its place behind the answers already owed, so acknowledgements of
    /// events stored before the bad frame are never overtaken by it or lost to the close.
    private func refuseAndClose(_ context: ChannelHandlerContext, reason: String, _ error: StatusError, id: UInt64 = 0) {
        guard !closing && !finishing else { return }
        rejected(context, reason)
        logger.debug("closing connection", metadata: ["reason": "\(reason)"])
        answer(context, Response(id: id, error: error))
        finishAfterPending(context)
    }

    /// Reads nothing more; closes as soon as every pending answer is written.
    private func finishAfterPending(_ context: ChannelHandlerContext) {
        finishing = true
        if pending.isEmpty { close(context) }
    }

    private func close(_ context: ChannelHandlerContext) {
        guard !closing else { return }
        closing = true
        context.close(promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        switch error {
        case let frame as FrameError:
            let code: StatusCode = if case .tooLarge = frame { .resourceExhausted } else { .invalidArgument }
            refuseAndClose(context, reason: frame.reason, StatusError(code, frame.description))
        default:
            if !closing { logger.debug("connection error", metadata: ["error": "\(error)"]) }
            close(context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let certificate = event as? TerminalCertificate {
            peer = .tls(name: certificate.name, role: certificate.role)
            logger[metadataKey: "certificate"] = "\(certificate.name)"
        } else if event is IdleStateHandler.IdleStateEvent {
            logger.debug("closing idle connection")
            close(context)
        } else if case ChannelEvent.inputClosed = event {
            // The client's half-close: what it sent before is answered, then the connection ends.
            finishAfterPending(context)
        } else if event is ChannelShouldQuiesceEvent {
            draining = true
            for task in watches.values { task.cancel() }
            watches.removeAll()
            if pending.isEmpty { close(context) }
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// A session and its context, carried to the event loop when a store completion comes back.
private struct SessionContext {
    let session: Session
    let context: ChannelHandlerContext

    func fill(_ slot: UInt64, _ response: Response) { session.fill(context, slot, response) }
    func helloTimedOut(seconds: Int) { session.helloTimedOut(context, seconds: seconds) }
    func answerAndClose(_ response: Response) { session.answerAndClose(context, response) }
}

/// Requests per second for one connection, with a burst of the same size.
struct TokenBucket {
    let perSecond: Int
    private var tokens: Double
    private var lastMs: Int64?

    init(perSecond: Int) {
        self.perSecond = perSecond
        self.tokens = Double(perSecond)
    }

    mutating func take(nowMs: Int64) -> Bool {
        if let last = lastMs {
            tokens = min(Double(perSecond), tokens + Double(max(0, nowMs - last)) * Double(perSecond) / 1000)
        }
        lastMs = nowMs
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
