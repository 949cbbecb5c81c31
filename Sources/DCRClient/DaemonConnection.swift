import DCRConfig
import DCRModel
import DCRWire
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// One conversation with `dcrd`: Hello on connect, then pipelined requests and watch streams.
///
/// Requests may be sent concurrently from many tasks; each gets its own id and its own answer.
public final class DaemonConnection: Sendable {
    public let welcome: Welcome
    /// One of the daemon's listen addresses (`ListenAddress`, as `dcrd.conf` writes them):
    /// `unix:`, `tcp:` or `tls:`.
    public let address: ListenAddress
    private let channel: any Channel
    private let handler: NIOLoopBound<ClientHandler>
    private let nextID = Mutex<UInt64>(1)

    private init(channel: any Channel, handler: NIOLoopBound<ClientHandler>, welcome: Welcome, address: ListenAddress) {
        self.channel = channel
        self.handler = handler
        self.welcome = welcome
        self.address = address
    }

    /// Connects and says Hello; throws `ClientError` with a message fit for a person.
    ///
    /// `tls` is what a `tls:` address needs on this side (the CA, and a client certificate if
    /// the daemon asks for one); the other addresses take none.
    public static func connect(to address: ListenAddress, tls files: TLSClientFiles? = nil, hello: Hello,
                               group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                               maxFrameBytes: Int = 16 * 1024 * 1024) async throws -> DaemonConnection {
        var tls: (NIOSSLContext, String?)?
        switch (address, files) {
        case (.tls(let host, _), let files?):
            tls = (try files.makeContext(), TLSClientFiles.serverHostname(host))
        case (.tls, nil):
            throw ClientError.badTLSFile("\(address): TLS needs the CA file that signed the daemon's certificate")
        case (.http, _):
            throw ClientError.unreachable(address: address.description, reason: "http: is the daemon's read-only side for Prometheus and the wall screen; connect with unix:, tcp: or tls:")
        case (_, _?):
            throw ClientError.badTLSFile("\(address): TLS files go with a tls: address")
        case (.unix, nil), (.tcp, nil):
            break
        }
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(5))
            .channelInitializer { [tls] channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: tls.0, serverHostname: tls.1))
                    }
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(FrameDecoder(maxPayload: maxFrameBytes)), ClientHandler(),
                    ])
                }
            }
        let channel: any Channel
        do {
            switch address {
            case .unix(let path): channel = try await bootstrap.connect(unixDomainSocketPath: path).get()
            case .tcp(let host, let port), .tls(let host, let port), .http(let host, let port):
                channel = try await bootstrap.connect(host: host, port: port).get()
            }
        } catch {
            throw Self.explain(error, address)
        }
        let handler = try await channel.eventLoop.submit {
            NIOLoopBound(try channel.pipeline.syncOperations.handler(type: ClientHandler.self), eventLoop: channel.eventLoop)
        }.get()
        let partial = DaemonConnection(channel: channel, handler: handler,
                                       welcome: Welcome(serverVersion: "", maxFrameBytes: 0, grantedRole: .unspecified, serverTimeMs: 0),
                                       address: address)
        let answer: Response
        do {
            answer = try await partial.send(.hello(hello))
        } catch let error as NIOSSLError {
            try? await channel.close()
            throw ClientError.tlsFailed(address: address.description, reason: Self.tlsReason("\(error)"))
        } catch let error as BoringSSLError {
            try? await channel.close()
            throw ClientError.tlsFailed(address: address.description, reason: Self.tlsReason("\(error)"))
        } catch ClientError.connectionClosed where address.isTLS {
            try? await channel.close()
            throw ClientError.tlsFailed(address: address.description, reason:
                "the daemon closed the connection after the handshake: it refused this client certificate (is its name configured with tls-client?)")
        }
        if let error = answer.error {
            try? await channel.close()
            throw ClientError.refused(error)
        }
        guard case .welcome(let welcome) = answer.body else {
            try? await channel.close()
            throw ClientError.protocolViolation("no welcome after hello")
        }
        return DaemonConnection(channel: channel, handler: handler, welcome: welcome, address: address)
    }

    private func takeID() -> UInt64 { nextID.withLock { v in defer { v += 1 }; return v } }

    /// Sends one request and waits for its answer (which may carry an error status).
    public func send(_ body: Request.Body) async throws -> Response {
        try await sendAll([body])[0]
    }

    /// Pipelines many requests in one write and waits for all their answers, in order.
    public func sendAll(_ bodies: [Request.Body]) async throws -> [Response] {
        let requests = bodies.map { Request(id: takeID(), $0) }
        let handler = self.handler
        let channel = self.channel
        let futures = try await channel.eventLoop.submit { () -> [EventLoopFuture<Response>] in
            guard channel.isActive else { throw ClientError.connectionClosed }
            var buffer = channel.allocator.buffer(capacity: requests.count * 96)
            var futures: [EventLoopFuture<Response>] = []
            for r in requests {
                let p = channel.eventLoop.makePromise(of: Response.self)
                handler.value.register(id: r.id, promise: p)
                futures.append(p.futureResult)
                WireCodec.writeRequestFrame(r, into: &buffer)
            }
            channel.writeAndFlush(buffer, promise: nil)
            return futures
        }.get()
        var out: [Response] = []
        out.reserveCapacity(futures.count)
        for f in futures { out.append(try await f.get()) }
        return out
    }

    /// A stream of `Load` answers every `intervalMs` until the consumer stops iterating.
    public func watch(intervalMs: UInt32, site: String?) -> AsyncThrowingStream<Response, any Error> {
        let id = takeID()
        let handler = self.handler
        let channel = self.channel
        return AsyncThrowingStream { continuation in
            channel.eventLoop.execute {
                handler.value.register(id: id, stream: continuation)
                var buffer = channel.allocator.buffer(capacity: 64)
                WireCodec.writeRequestFrame(Request(id: id, .watch(intervalMs: intervalMs, site: site)), into: &buffer)
                channel.writeAndFlush(buffer, promise: nil)
            }
            continuation.onTermination = { _ in
                channel.eventLoop.execute {
                    handler.value.unregisterStream(id: id)
                    guard channel.isActive else { return }
                    var buffer = channel.allocator.buffer(capacity: 32)
                    WireCodec.writeRequestFrame(Request(id: id &+ 1_000_000_000, .cancel(watchID: id)), into: &buffer)
                    channel.writeAndFlush(buffer, promise: nil)
                }
            }
        }
    }

    public func close() async {
        try? await channel.close()
    }

    /// BoringSSL's reason, without the error stack around it.
    static func tlsReason(_ text: String) -> String {
        if text.contains("CERTIFICATE_VERIFY_FAILED") { return "the daemon's certificate is not signed by --ca, has expired, or does not name this host" }
        if text.contains("ALERT_CERTIFICATE_REQUIRED") || text.contains("PEER_DID_NOT_RETURN") { return "the daemon wants a client certificate (--cert and --key)" }
        if text.contains("ALERT_UNKNOWN_CA") || text.contains("ALERT_BAD_CERTIFICATE") || text.contains("ALERT_CERTIFICATE_EXPIRED") || text.contains("ALERT_CERTIFICATE_UNKNOWN") {
            return "the daemon refused this client certificate (expired, or not signed by its tls-client-ca)"
        }
        if text.contains("uncleanShutdown") { return "the daemon closed the connection during the handshake (is this certificate's name configured with tls-client?)" }
        return text
    }

    static func explain(_ error: any Error, _ address: ListenAddress) -> ClientError {
        if let e = error as? ClientError { return e }
        if let io = error as? IOError {
            if io.errnoCode == EACCES || io.errnoCode == EPERM, case .unix(let path) = address {
                return .permissionDenied(address: address.description, group: socketGroup(path))
            }
            return .unreachable(address: address.description, reason: String(cString: strerror(io.errnoCode)))
        }
        if let c = error as? ChannelError, case .connectTimeout = c {
            return .unreachable(address: address.description, reason: "timed out")
        }
        if let e = error as? NIOConnectionError {
            let inner = e.connectionErrors.first.map { "\($0.error)" } ?? "\(e)"
            if inner.contains("Connection refused") || inner.contains("ECONNREFUSED") {
                return .unreachable(address: address.description, reason: "connection refused")
            }
            return .unreachable(address: address.description, reason: inner)
        }
        return .unreachable(address: address.description, reason: "\(error)")
    }

    private static func socketGroup(_ path: String) -> String? {
        var st = stat()
        guard stat(path, &st) == 0, let g = getgrgid(st.st_gid) else { return nil }
        return String(cString: g.pointee.gr_name)
    }
}
