import DCRConfig
import DCRModel
import DCRWire
import Logging
import NIOCore
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
    private let ownedSocketFiles = Mutex<[String]>([])
    private let tlsListeners = Mutex<[ObjectIdentifier]>([])
    /// The certificate, key and CA new TLS connections get; replaced whole by a good reload,
    /// while established connections keep the context they were accepted with.
    private let tlsMaterial = Mutex<TLSMaterial?>(nil)

    public init(core: DaemonCore, group: any EventLoopGroup, logger: Logger) {
        self.core = core
        self.group = group
        self.logger = logger
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
                        Session(core: core, transport: kind, logger: logger),
                    ])
                    self?.track(channel)
                }
            }
    }

    private func track(_ channel: any Channel) {
        let key = ObjectIdentifier(channel)
        connections.withLock { $0[key] = channel }
        channel.closeFuture.whenComplete { [weak self] _ in
            _ = self?.connections.withLock { $0.removeValue(forKey: key) }
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
        }
        listeners.withLock { $0.append(channel) }
        logger.info("listening", metadata: ["address": "\(describe(channel, address))"])
        return channel
    }

    /// Serves a socket inherited from systemd; never deletes its file, which systemd owns.
    /// The socket named "tls" (`FileDescriptorName=tls`, dcrd-tls.socket) speaks TLS.
    @discardableResult
    public func adopt(fd: Int32, isUnix: Bool, name: String) async throws -> any Channel {
        let kind: Session.TransportKind = isUnix ? .unix : name == "tls" ? .tls : .tcp
        let channel = try await bootstrap(kind).withBoundSocket(fd).get()
        if kind == .tls { tlsListeners.withLock { $0.append(ObjectIdentifier(channel)) } }
        listeners.withLock { $0.append(channel) }
        logger.info("serving inherited socket", metadata: ["name": "\(name)", "fd": "\(fd)",
                                                          "address": "\(channel.localAddress.map { "\($0)" } ?? "?")"])
        return channel
    }

    /// The TCP ports actually bound, TLS ones included (useful with port 0).
    public var boundTCPPorts: [Int] {
        listeners.withLock { $0.compactMap { $0.localAddress?.port } }
    }

    /// The ports of the TLS listeners alone.
    public var boundTLSPorts: [Int] {
        let tls = tlsListeners.withLock { $0 }
        return listeners.withLock { $0.filter { tls.contains(ObjectIdentifier($0)) }.compactMap { $0.localAddress?.port } }
    }

    /// True when an inherited or bound plain TCP listener is reachable from other machines.
    public var plaintextTCPOffLoopback: Bool {
        let tls = tlsListeners.withLock { $0 }
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
        let open = connections.withLock { Array($0.values) }
        for c in open { c.pipeline.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if connections.withLock({ $0.isEmpty }) { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
        let left = connections.withLock { Array($0.values) }
        if !left.isEmpty { logger.warning("closing connections that did not finish in time", metadata: ["count": "\(left.count)"]) }
        for c in left { try? await c.close() }
    }

    private func describe(_ channel: any Channel, _ address: ListenAddress) -> String {
        if case .tcp(let host, _) = address, let port = channel.localAddress?.port { return "tcp:\(host):\(port)" }
        if case .tls(let host, _) = address, let port = channel.localAddress?.port { return "tls:\(host):\(port)" }
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
