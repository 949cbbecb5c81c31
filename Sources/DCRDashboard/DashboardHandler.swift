import DCRModel
import NIOCore
import NIOHTTP1

/// One HTTP connection on an `http:` listener. Read-only: GET and HEAD, four paths.
///
/// - `/` (and its `/wall.css`, `/wall.js`): the rooms' wall screen, every byte served from here;
/// - `/events`: Server-Sent Events, the load pushed every `watch-interval-ms`, for the screen;
/// - `/load.json`: the same snapshot once;
/// - `/metrics`: the Prometheus text exposition.
///
/// Anything else is 404, any other method 405. HTTP itself is parsed by NIOHTTP1.
public final class DashboardHandler: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = HTTPServerRequestPart
    public typealias OutboundOut = HTTPServerResponsePart

    private let source: any DashboardSource
    private let settings: DashboardSettings
    private let gate: ConnectionGate
    private var admitted = false
    private var request: HTTPRequestHead?
    private var stream: RepeatedTask?

    public init(source: any DashboardSource, settings: DashboardSettings, gate: ConnectionGate) {
        self.source = source
        self.settings = settings
        self.gate = gate
    }

    public func channelActive(context: ChannelHandlerContext) {
        admitted = gate.enter()
        context.fireChannelActive()
    }

    public func channelInactive(context: ChannelHandlerContext) {
        stopStream()
        if admitted {
            admitted = false
            gate.leave()
        }
        context.fireChannelInactive()
    }

    public func handlerRemoved(context: ChannelHandlerContext) { stopStream() }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): request = head
        case .body: break  // GET and HEAD carry none; a body sent anyway is read and dropped
        case .end:
            guard let head = request else { return }
            request = nil
            respond(context, head)
        }
    }

    public func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent, stream == nil {
            context.close(promise: nil)
            return
        }
        // The daemon is stopping: nothing here is in flight that matters (reads only), so a
        // screen's open stream must not hold up the drain; it reconnects to the next start.
        if event is ChannelShouldQuiesceEvent {
            stopStream()
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func respond(_ context: ChannelHandlerContext, _ head: HTTPRequestHead) {
        guard stream == nil else { return }  // an open event stream answers nothing else
        guard admitted else {
            return send(context, head, .serviceUnavailable, type: "text/plain; charset=utf-8",
                        body: "too many HTTP connections (http-max-connections)\n", close: true)
        }
        guard head.method == .GET || head.method == .HEAD else {
            return send(context, head, .methodNotAllowed, type: "text/plain; charset=utf-8",
                        body: "this endpoint is read-only: GET or HEAD\n", extra: [("Allow", "GET, HEAD")])
        }
        let path = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        switch path {
        case "/", "/index.html":
            send(context, head, .ok, type: "text/html; charset=utf-8", body: WallScreen.html)
        case "/wall.css":
            send(context, head, .ok, type: "text/css; charset=utf-8", body: WallScreen.css)
        case "/wall.js":
            send(context, head, .ok, type: "text/javascript; charset=utf-8", body: WallScreen.script)
        case "/metrics", "/load.json", "/events":
            guard authorized(head) else {
                return send(context, head, .unauthorized, type: "text/plain; charset=utf-8",
                            body: "this listener needs a monitor token: Authorization: Bearer TOKEN\n",
                            extra: [("WWW-Authenticate", "Bearer realm=\"dcrd\"")])
            }
            switch path {
            case "/metrics":
                send(context, head, .ok, type: "text/plain; version=0.0.4; charset=utf-8", bytes: source.metricsExposition())
            case "/load.json":
                send(context, head, .ok, type: "application/json",
                     body: LoadJSON.render(source.dashboardLoad(), updateIntervalMs: settings.updateIntervalMs) + "\n")
            default:
                startStream(context, head)
            }
        default:
            send(context, head, .notFound, type: "text/plain; charset=utf-8",
                 body: "not found: this endpoint serves /, /events, /load.json and /metrics\n")
        }
    }

    private func authorized(_ head: HTTPRequestHead) -> Bool {
        !settings.requireToken || BearerToken.accepts(head.headers.first(name: "authorization"), tokens: settings.tokens)
    }

    // MARK: the event stream

    /// Pushes the load at once and then every interval. A screen that does not read has its
    /// ticks skipped while the channel is not writable, so its buffer stays at one snapshot.
    private func startStream(_ context: ChannelHandlerContext, _ head: HTTPRequestHead) {
        var headers = Self.commonHeaders(type: "text/event-stream")
        headers.add(name: "Cache-Control", value: "no-store")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .ok, headers: headers))), promise: nil)
        guard head.method == .GET else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        let interval = Int64(settings.updateIntervalMs)
        context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: "retry: \(max(1000, interval))\n\n")))), promise: nil)
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        stream = context.eventLoop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(interval)) { _ in
            let (handler, context) = loopBound.value
            guard context.channel.isActive, context.channel.isWritable else { return }
            let json = LoadJSON.render(handler.source.dashboardLoad(), updateIntervalMs: handler.settings.updateIntervalMs)
            let frame = context.channel.allocator.buffer(string: "event: load\ndata: \(json)\n\n")
            context.writeAndFlush(handler.wrapOutboundOut(.body(.byteBuffer(frame))), promise: nil)
        }
    }

    private func stopStream() {
        stream?.cancel()
        stream = nil
    }

    // MARK: plain responses

    private func send(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ status: HTTPResponseStatus,
                      type: String, body: String, extra: [(String, String)] = [], close: Bool = false) {
        send(context, head, status, type: type, bytes: Array(body.utf8), extra: extra, close: close)
    }

    private func send(_ context: ChannelHandlerContext, _ head: HTTPRequestHead, _ status: HTTPResponseStatus,
                      type: String, bytes: [UInt8], extra: [(String, String)] = [], close: Bool = false) {
        var headers = Self.commonHeaders(type: type)
        headers.add(name: "Content-Length", value: "\(bytes.count)")
        if status == .ok { headers.add(name: "Cache-Control", value: "no-store") }
        for (name, value) in extra { headers.add(name: name, value: value) }
        let keepAlive = head.isKeepAlive && !close
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
        if head.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            done.whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
        }
    }

    /// Everything the page needs comes from this origin; nothing may frame or sniff it.
    private static func commonHeaders(type: String) -> HTTPHeaders {
        HTTPHeaders([
            ("Content-Type", type),
            ("X-Content-Type-Options", "nosniff"),
            ("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'"),
            ("Referrer-Policy", "no-referrer"),
            ("Server", "dcrd"),
        ])
    }
}
