import DCRConfig
import DCRModel
import DCRWire
import Logging
import NIOCore

/// One client connection: carries out what `ConnectionStateMachine` decides, keeps answers in
/// request order (`ReplyOrder`), and hands open requests to `RequestDispatcher`.
///
/// Requests arrive decoded (`ConversationCodec`) and answers leave as values. Everything runs on
/// the channel's event loop; store completions and off-loop work come back to it.
final class Session: ChannelDuplexHandler {
    typealias InboundIn = DecodedRequest
    typealias OutboundIn = Response
    typealias OutboundOut = Response

    private let core: DaemonCore
    private let dispatcher: RequestDispatcher
    private let transport: TransportKind
    private var logger: Logger
    private var machine = ConnectionStateMachine()
    private var replies = ReplyOrder()
    private var peer: Transport?
    /// The granted role, kept after the conversation ends for the connection counts.
    private var grantedRole: Role?
    /// The Hello's client name: who a correction from this connection is stored as made by.
    private var clientName = ""
    private var counted = false
    /// Who the per-peer cap counts: the TCP address, or the uid on the Unix socket.
    private var peerKey = ""
    private var helloDeadline: Scheduled<Void>?
    /// This loop's mailbox (`AnswerMailbox`), looked up once per connection.
    private var loopMailbox: AnswerMailbox?
    private var readHeld = false
    private var watches: [UInt64: RepeatedTask] = [:]
    private var rate: TokenBucket?
    private let maxInFlight: Int
    private let maxOutputBytes: Int

    /// On `.tls` the peer is known only once the handshake's `TerminalCertificate` arrives.
    enum TransportKind { case unix, tcp, tls }

    init(core: DaemonCore, transport: TransportKind, logger: Logger) {
        self.core = core
        self.dispatcher = RequestDispatcher(core: core)
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
        let loopBound = NIOLoopBound(SessionReturn(session: self, context: context), eventLoop: context.eventLoop)
        helloDeadline = context.eventLoop.scheduleTask(in: .seconds(Int64(seconds))) {
            loopBound.value.helloTimedOut(seconds: seconds)
        }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        _ = machine.close()
        stopWatches()
        helloDeadline?.cancel()
        helloDeadline = nil
        if counted { core.connectionClosed(role: grantedRole, peer: peerKey) }
        counted = false
        context.fireChannelInactive()
    }

    /// No Hello within `hello-timeout`: a silent connection must not hold a place for the idle timeout.
    fileprivate func helloTimedOut(_ context: ChannelHandlerContext, seconds: Int) {
        guard machine.helloDeadlinePassed() == .answerThenFinish else { return }
        refused(context, reason: "hello_timeout", StatusError(.unauthenticated, "no hello within \(seconds) s"))
    }

    // MARK: reading

    func read(context: ChannelHandlerContext) {
        switch machine.mayRead(owed: replies.owed, limit: maxInFlight, writable: context.channel.isWritable) {
        case .read: context.read()
        case .hold: readHeld = true
        case .stop: break
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        resumeReading(context)
        context.fireChannelWritabilityChanged()
    }

    private func resumeReading(_ context: ChannelHandlerContext) {
        guard readHeld, machine.mayResume(owed: replies.owed, limit: maxInFlight, writable: context.channel.isWritable) else { return }
        readHeld = false
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let decoded = unwrapInboundIn(data)
        let request = decoded.request
        let arrival: ConnectionStateMachine.Arrival = switch request.body {
        case .hello: .hello
        case .invalid: .invalid
        default: .other
        }
        let action = machine.requestArrived(arrival)
        if action == .drop { return }
        core.unknownEnums(decoded.unknownEnumValues)
        if action == .refuseDraining {
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
        switch action {
        case .drop, .refuseDraining: return
        case .judgeHello:
            if case .hello(let hello) = request.body { welcome(context, request.id, hello) }
        case .refuseHello:
            // A Hello whose fields break the rules (a NUL in the credential) is a failed Hello.
            if case .invalid(let error) = request.body { refuseHello(context, request.id, reason: "hello_invalid", error) }
        case .refuseBeforeHello:
            guard machine.refuse() == .answerThenFinish else { return }
            refused(context, reason: "before_hello", StatusError(.failedPrecondition, "the first request must be hello"), id: request.id)
        case .dispatch(let role):
            carryOut(context, request.id, dispatcher.answer(request, role: role), role: role)
        }
    }

    private func mailbox(_ context: ChannelHandlerContext) -> AnswerMailbox {
        if let loopMailbox { return loopMailbox }
        let box = core.answerMailboxes.mailbox(for: context.eventLoop)
        loopMailbox = box
        return box
    }

    private func carryOut(_ context: ChannelHandlerContext, _ id: UInt64, _ answer: RequestDispatcher.Answer, role: Role) {
        switch answer {
        case .now(let response):
            self.answer(context, response)
        case .store(let event):
            let ticket = replies.reserve()
            let back = AnswerPath(context: context, session: self, mailbox: mailbox(context), pays: true)
            core.owedAcknowledgements.owe()
            core.ingest(event, by: Corrector(name: clientName, role: role)) { result in
                let response: Response = switch result {
                case .success(let ack): Response(id: id, .ack(duplicate: ack.duplicate, suspendedUntilMs: ack.suspendedUntilMs))
                case .failure(let error): Response(id: id, error: error)
                }
                back.fill(ticket, response)
            }
        case .offLoop(let work):
            let ticket = replies.reserve()
            let back = AnswerPath(context: context, session: self, mailbox: mailbox(context), pays: false)
            core.offLoop.run { back.fill(ticket, work(id)) }
        case .watch(let intervalMs, let site):
            startWatch(context, id: id, intervalMs: intervalMs, site: site)
        case .cancelWatch(let watchID):
            watches.removeValue(forKey: watchID)?.cancel()
            self.answer(context, Response(id: id))
        }
    }

    private func welcome(_ context: ChannelHandlerContext, _ id: UInt64, _ hello: Hello) {
        guard let peer else {
            guard machine.refuse() == .answerThenFinish else { return }
            refused(context, reason: "no_peer_credentials", StatusError(.unauthenticated, "cannot read the peer's credentials"), id: id)
            return
        }
        let c = core.configuration
        switch Admission.admit(hello, transport: peer, configuration: c, daemonUID: PeerCredentials.daemonUID) {
        case .success(let granted):
            machine.helloAccepted(granted)
            helloDeadline?.cancel()
            helloDeadline = nil
            grantedRole = granted
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
        guard machine.refuse() == .answerThenFinish else { return }
        rejected(context, reason)
        logger.debug("hello refused", metadata: ["reason": "\(reason)"])
        let loopBound = NIOLoopBound(SessionReturn(session: self, context: context), eventLoop: context.eventLoop)
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

    /// Watch updates are outside the request order (PROTOCOL.md): they are written as they come.
    private func startWatch(_ context: ChannelHandlerContext, id: UInt64, intervalMs: Int, site: String?) {
        watches.removeValue(forKey: id)?.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let core = self.core
        watches[id] = context.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(Int64(intervalMs))) { _ in
            let (session, ctx) = loopBound.value
            guard !session.machine.isClosed else { return }
            let response: Response
            do throws(StatusError) {
                response = Response(id: id, .load(try core.load(site: site)))
            } catch {
                response = Response(id: id, error: error)
            }
            session.writeNow(ctx, response)
        }
    }

    private func stopWatches() {
        for task in watches.values { task.cancel() }
        watches.removeAll()
    }

    // MARK: writing in order

    /// Answers a request that completes at once, keeping request order behind slower ones.
    private func answer(_ context: ChannelHandlerContext, _ response: Response) {
        if replies.isEmpty {
            writeNow(context, response)
        } else {
            fill(context, replies.reserve(), response)
        }
    }

    /// `flushing: false` leaves the flush to the caller (`AnswerMailbox` flushes each connection
    /// once per delivery, not once per answer), except before a close, which must not strand
    /// written answers.
    func fill(_ context: ChannelHandlerContext, _ ticket: ReplyOrder.Ticket, _ response: Response, flushing: Bool = true) {
        let written = replies.fill(ticket, response) { write(context, $0) }
        let closing = machine.answersWritten(nothingOwed: replies.isEmpty) == .closeNow
        if written > 0 && (flushing || closing) { flush(context) }
        resumeReading(context)
        if closing { close(context) }
    }

    /// After a delivery that filled with `flushing: false`.
    func flushAnswers(_ context: ChannelHandlerContext) {
        guard !machine.isClosed else { return }
        flush(context)
    }

    private func write(_ context: ChannelHandlerContext, _ response: Response) {
        guard context.channel.isActive else { return }
        context.write(wrapOutboundOut(response), promise: nil)
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
        // Past max-output-bytes means past output-buffer-bytes (the configuration keeps
        // max ≥ buffer), which makes the channel unwritable: a writable channel needs no look at
        // the option, which is costly enough to show in the ingest profile.
        guard !context.channel.isWritable, !machine.isClosed, let unsent = try? context.channel.syncOptions?.getOption(.bufferedWritableBytes),
              unsent > maxOutputBytes else { return }
        rejected(context, "output_overflow")
        logger.debug("closing connection", metadata: ["reason": "output_overflow", "unsent_bytes": "\(unsent)"])
        close(context)
    }

    // MARK: refusing and closing

    /// After `machine.refuse()`: the refusal takes its place behind the answers already owed, so
    /// acknowledgements of events stored before the bad frame are never overtaken by it or lost
    /// to the close; the connection closes once they are all written.
    private func refused(_ context: ChannelHandlerContext, reason: String, _ error: StatusError, id: UInt64 = 0) {
        rejected(context, reason)
        logger.debug("closing connection", metadata: ["reason": "\(reason)"])
        answer(context, Response(id: id, error: error))
        perform(context, machine.answersWritten(nothingOwed: replies.isEmpty))
    }

    private func close(_ context: ChannelHandlerContext) {
        guard machine.close() else { return }
        context.close(promise: nil)
    }

    private func perform(_ context: ChannelHandlerContext, _ action: ConnectionStateMachine.CloseAction) {
        if action == .closeNow { close(context) }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        switch error {
        case let frame as FrameError:
            let code: StatusCode = if case .tooLarge = frame { .resourceExhausted } else { .invalidArgument }
            guard machine.refuse() == .answerThenFinish else { return }
            refused(context, reason: frame.reason, StatusError(code, frame.description))
        case let undecodable as WireDecodeError:
            guard machine.refuse() == .answerThenFinish else { return }
            refused(context, reason: "undecodable", StatusError(.invalidArgument, "\(undecodable)"))
        default:
            if !machine.isClosed { logger.debug("connection error", metadata: ["error": "\(error)"]) }
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
            perform(context, machine.inputClosed(nothingOwed: replies.isEmpty))
        } else if event is ChannelShouldQuiesceEvent {
            stopWatches()
            perform(context, machine.quiesce(nothingOwed: replies.isEmpty))
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// The way back to a session's event loop for an answer that completed elsewhere (the store's
/// writer thread, `OffLoop`): directly when already on it, else through the loop's mailbox.
private struct AnswerPath: Sendable {
    private let session: NIOLoopBound<SessionReturn>
    private let mailbox: AnswerMailbox
    /// An event's answer (`OwedAcknowledgements`), not a report's.
    private let pays: Bool

    init(context: ChannelHandlerContext, session: Session, mailbox: AnswerMailbox, pays: Bool) {
        self.session = NIOLoopBound(SessionReturn(session: session, context: context), eventLoop: context.eventLoop)
        self.mailbox = mailbox
        self.pays = pays
    }

    func fill(_ ticket: ReplyOrder.Ticket, _ response: Response) {
        if mailbox.eventLoop.inEventLoop {
            session.value.fill(ticket, response)
            if pays { mailbox.owed.paid(1) }
        } else {
            mailbox.post(AnswerMailbox.Letter(session: session, ticket: ticket, response: response, pays: pays))
        }
    }
}

/// A session and its handler context, carried back to their event loop: by an answer that
/// completed elsewhere (`AnswerPath`, `AnswerMailbox`) or by a scheduled task.
struct SessionReturn {
    let session: Session
    let context: ChannelHandlerContext

    func fill(_ ticket: ReplyOrder.Ticket, _ response: Response) { session.fill(context, ticket, response) }
    func helloTimedOut(seconds: Int) { session.helloTimedOut(context, seconds: seconds) }
    func answerAndClose(_ response: Response) { session.answerAndClose(context, response) }
}
