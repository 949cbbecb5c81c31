import DCRConfig
import DCRDashboard
import DCRModel
import DCRWire
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The listeners and the connections they accept; drains them on shutdown.
public final class DaemonServer: Sendable {
    public let core: DaemonCore
    private let group: any EventLoopGroup
    private let logger: Logger
    private let listeners = Mutex<[any Channel]>([])
    private let connections = Mutex<[ObjectIdentifier: any Channel]>([:])
    /// HTTP connections apart: they hold nothing in flight (reads only), so a drain closes them
    /// at once instead of waiting for a wall screen's endless event stream.
    private let httpConnections = Mutex<[ObjectIdentifier: any Channel]>([:])
    private let ownedSocketFiles = Mutex<[String]>([])
    private let tlsListeners = Mutex<[ObjectIdentifier]>([])
    private let httpListeners = Mutex<[ObjectIdentifier]>([])
    /// Open connections on every `http:` listener together, against `http-max-connections`.
    private let httpGate: ConnectionGate
    /// The certificate, key and CA new TLS connections get; replaced whole by a good reload,
    /// while established connections keep the context they were accepted with.
    private let tlsMaterial = Mutex<TLSMaterial?>(nil)

    public init(core: DaemonCore, group: any EventLoopGroup, logger: Logger) {
        self.core = core
        self.group = group
        self.logger = logger
        self.httpGate = ConnectionGate(limit: core.configuration.httpMaxConnections)
    }

    public enum BindError: Error, CustomStringConvertible {
        case inUse(String)
        case cannotCreateDirectory(String, String)
        public var description: String {
            switch self {
            case .inUse(let path): "\(path): another process is listening there (is dcrd already running?)"
            case .cannotCreateDirectory(let dir, let why): "cannot create \(dir): \(why)"
            }
        }
    }

    /// Puts new TLS material in force for connections accepted from now on.
    public func useTLS(_ material: TLSMaterial) { tlsMaterial.withLock { $0 = material } }

    public var tls: TLSMaterial? { tlsMaterial.withLock { $0 } }

    private func bootstrap(_ kind: Session.TransportKind) -> ServerBootstrap {
        let core = self.core
        let logger = self.logger
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.autoRead, value: true)
            // A client's shutdown(SHUT_WR) must not cost it the answers to what it sent before.
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { [weak self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let c = core.configuration
                    // Above the high mark the channel is not writable and the session stops reading.
                    try channel.syncOptions?.setOption(.writeBufferWaterMark, value: ChannelOptions.Types.WriteBufferWaterMark(
                        low: c.outputBufferBytes / 2, high: c.outputBufferBytes))
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: .seconds(Int64(c.idleTimeoutSeconds))))
                    if kind == .tls {
                        guard let material = self?.tls else { throw ChannelError.inappropriateOperationForState }
                        try channel.pipeline.syncOperations.addHandlers([
                            TLSGate.serverHandler(material, core: core), TLSGate(core: core, logger: logger),
                        ])
                    }
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(FrameDecoder(maxPayload: c.maxFrameBytes)),
                        ConversationCodec(),
                        Session(core: core, transport: kind, logger: logger),
                    ])
                    self?.track(channel)
                }
            }
    }

    /// The read-only HTTP side: NIOHTTP1 parses, `DashboardHandler` answers. `requireToken`
    /// reads the listener's address once it is bound: until then (and for any address other
    /// than loopback) a token is required, so a connection can never slip through unasked.
    private func httpBootstrap(requireToken: @escaping @Sendable () -> Bool) -> ServerBootstrap {
        let core = self.core
        let gate = httpGate
        return ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { [weak self] channel in
                channel.eventLoop.makeCompletedFuture {
                    let c = core.configuration
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(allTimeout: .seconds(Int64(c.idleTimeoutSeconds))),
                        DashboardHandler(source: core, settings: core.dashboardSettings(requireToken: requireToken()), gate: gate),
                    ])
                    self?.track(channel, http: true)
                }
            }
    }

    /// Binds an `http:` listener (or serves an inherited one) and remembers whether other
    /// machines can reach it.
    private func bindHTTP(_ bind: (ServerBootstrap) async throws -> any Channel) async throws -> any Channel {
        let requireToken = Mutex<Bool?>(nil)
        let channel = try await bind(httpBootstrap(requireToken: { requireToken.withLock { $0 } ?? true }))
        let loopback = channel.localAddress?.ipAddress.map(ListenAddress.isLoopback) ?? false
        requireToken.withLock { $0 = !loopback }
        httpListeners.withLock { $0.append(ObjectIdentifier(channel)) }
        return channel
    }

    private func track(_ channel: any Channel, http: Bool = false) {
        let key = ObjectIdentifier(channel)
        if http { httpConnections.withLock { $0[key] = channel } } else { connections.withLock { $0[key] = channel } }
        channel.closeFuture.whenComplete { [weak self] _ in
            if http {
                _ = self?.httpConnections.withLock { $0.removeValue(forKey: key) }
            } else {
                _ = self?.connections.withLock { $0.removeValue(forKey: key) }
            }
        }
    }

    /// Binds one configured address. A Unix socket's directory is created, a stale socket file
    /// removed, and a live one (another daemon) refused.
    @discardableResult
    public func bind(_ address: ListenAddress) async throws -> any Channel {
        let channel: any Channel
        switch address {
        case .unix(let path):
            try prepareUnixPath(path)
            channel = try await bootstrap(.unix).bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
            chmod(path, 0o660)
            ownedSocketFiles.withLock { $0.append(path) }
        case .tcp(let host, let port):
            channel = try await bootstrap(.tcp).bind(host: host, port: port).get()
        case .tls(let host, let port):
            channel = try await bootstrap(.tls).bind(host: host, port: port).get()
            tlsListeners.withLock { $0.append(ObjectIdentifier(channel)) }
        case .http(let host, let port):
            channel = try await bindHTTP { try await $0.bind(host: host, port: port).get() }
        }
        listeners.withLock { $0.append(channel) }
        logger.info("listening", metadata: ["address": "\(describe(channel, address))"])
        return channel
    }

    /// Serves a socket inherited from systemd; never deletes its file, which systemd owns.
    /// The socket named "tls" (`FileDescriptorName=tls`, dcrd-tls.socket) speaks TLS; the one
    /// named "http" (dcrd-http.socket) serves metrics and the wall screen.
    @discardableResult
    public func adopt(fd: Int32, isUnix: Bool, name: String) async throws -> any Channel {
        if name == "http" && !isUnix {
            let channel = try await bindHTTP { try await $0.withBoundSocket(fd).get() }
            listeners.withLock { $0.append(channel) }
            logger.info("serving inherited socket", metadata: ["name": "\(name)", "fd": "\(fd)",
                                                              "address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
            return channel
        }
        let kind: Session.TransportKind = isUnix ? .unix : name == "tls" ? .tls : .tcp
        let channel = try await bootstrap(kind).withBoundSocket(fd).get()
        if kind == .tls { tlsListeners.withLock { $0.append(ObjectIdentifier(channel)) } }
        listeners.withLock { $0.append(channel) }
        logger.info("serving inherited socket", metadata: ["name": "\(name)", "fd": "\(fd)",
                                                          "address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        return channel
    }

    /// The TCP ports actually bound, TLS ones included, HTTP ones not (useful with port 0).
    public var boundTCPPorts: [Int] {
        let http = httpListeners.withLock { $0 }
        return listeners.withLock { $0.filter { !http.contains(ObjectIdentifier($0)) }.compactMap { $0.localAddress?.port } }
    }

    /// The ports of the `http:` listeners alone.
    public var boundHTTPPorts: [Int] {
        let http = httpListeners.withLock { $0 }
        return listeners.withLock { $0.filter { http.contains(ObjectIdentifier($0)) }.compactMap { $0.localAddress?.port } }
    }

    /// True when an `http:` listener (an inherited one too) is reachable from other machines.
    public var httpOffLoopback: Bool {
        let http = httpListeners.withLock { $0 }
        return listeners.withLock { ls in
            ls.contains { l in
                guard http.contains(ObjectIdentifier(l)), let ip = l.localAddress?.ipAddress else { return false }
                return !ListenAddress.isLoopback(ip)
            }
        }
    }

    /// The ports of the TLS listeners alone.
    public var boundTLSPorts: [Int] {
        let tls = tlsListeners.withLock { $0 }
        return listeners.withLock { $0.filter { tls.contains(ObjectIdentifier($0)) }.compactMap { $0.localAddress?.port } }
    }

    /// True when an inherited or bound plain TCP listener is reachable from other machines.
    public var plaintextTCPOffLoopback: Bool {
        let tls = tlsListeners.withLock { $0 } + httpListeners.withLock { $0 }
        return listeners.withLock { ls in
            ls.contains { l in
                guard !tls.contains(ObjectIdentifier(l)), let a = l.localAddress, let ip = a.ipAddress else { return false }
                return !ListenAddress.isLoopback(ip)
            }
        }
    }

    /// Stops accepting, lets every connection finish what it has in flight (new requests get
    /// UNAVAILABLE), and waits until they are closed or `timeout` passes, then closes the rest.
    public func drain(timeout: Duration) async {
        let ls = listeners.withLock { l in defer { l.removeAll() }; return l }
        for l in ls { try? await l.close() }
        for path in ownedSocketFiles.withLock({ $0 }) { unlink(path) }
        for c in httpConnections.withLock({ Array($0.values) }) { c.close(promise: nil) }
        let open = connections.withLock { Array($0.values) }
        for c in open { c.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
        if await allClosed(open, within: timeout) { return }
        let left = connections.withLock { Array($0.values) }
        if !left.isEmpty { logger.warning("closing connections that did not finish in time", metadata: ["count": "\(left.count)"]) }
        for c in left { try? await c.close() }
    }

    /// True when every channel has closed within `timeout`: waits on their close futures,
    /// so a drain ends the moment the last connection's answers are out, not at a poll's tick.
    private func allClosed(_ channels: [any Channel], within timeout: Duration) async -> Bool {
        guard !channels.isEmpty else { return true }
        let loop = group.next()
        let outcome = loop.makePromise(of: Bool.self)
        let settled = NIOLockedValueBox(false)
        let settle: @Sendable (Bool) -> Void = { closed in
            let first = settled.withLockedValue { done in
                defer { done = true }
                return !done
            }
            if first { outcome.succeed(closed) }
        }
        EventLoopFuture.andAllComplete(channels.map(\.closeFuture), on: loop).whenComplete { _ in settle(true) }
        let (seconds, attoseconds) = timeout.components
        let timer = loop.scheduleTask(in: .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)) { settle(false) }
        let closed = (try? await outcome.futureResult.get()) ?? false
        timer.cancel()
        return closed
    }

    private func describe(_ channel: any Channel, _ address: ListenAddress) -> String {
        if case .tcp(let host, _) = address, let port = channel.localAddress?.port { return "tcp:\(host):\(port)" }
        if case .tls(let host, _) = address, let port = channel.localAddress?.port { return "tls:\(host):\(port)" }
        if case .http(let host, _) = address, let port = channel.localAddress?.port { return "http:\(host):\(port)" }
        return "\(address)"
    }

    private func prepareUnixPath(_ path: String) throws {
        let dir = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        if !dir.isEmpty { try makeDirectories(dir) }
        guard access(path, F_OK) == 0 else { return }
        if UnixProbe.someoneListens(at: path) { throw BindError.inUse(path) }
    }

    private func makeDirectories(_ dir: String) throws {
        var current = dir.hasPrefix("/") ? "" : "."
        for part in dir.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o755) != 0 && errno != EEXIST {
                throw BindError.cannotCreateDirectory(current, String(cString: strerror(errno)))
            }
        }
    }
}

/// Is a process accepting connections on this Unix socket path?
enum UnixProbe {
    static func someoneListens(at path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { return false }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        return ok == 0
    }
}
