/// Where the daemon listens (or the CLI connects): `unix:PATH`, `tcp:HOST:PORT`, `tls:HOST:PORT`,
/// or `http:HOST:PORT` for the read-only HTTP side (Prometheus metrics and the wall screen).
public enum ListenAddress: Sendable, Hashable, CustomStringConvertible {
    case unix(path: String)
    case tcp(host: String, port: Int)
    /// TCP with TLS and client certificates: the only way health data may cross a network.
    case tls(host: String, port: Int)
    /// Read-only HTTP: `/metrics` for Prometheus and `/` for the rooms' wall screen. It carries
    /// counts only, never a client code; off loopback it needs a monitor token (ConfigurationCheck).
    case http(host: String, port: Int)

    /// Parses `unix:PATH`, `tcp:HOST:PORT`, `tls:HOST:PORT`, `http:HOST:PORT` (or `[IPv6]` hosts);
    /// nil with anything else.
    public init?(parsing text: String) {
        if text.hasPrefix("unix:") {
            let path = String(text.dropFirst(5))
            guard !path.isEmpty else { return nil }
            self = .unix(path: path)
        } else if text.hasPrefix("tcp:") || text.hasPrefix("tls:") {
            guard let (host, port) = Self.hostAndPort(text.dropFirst(4)) else { return nil }
            self = text.hasPrefix("tcp:") ? .tcp(host: host, port: port) : .tls(host: host, port: port)
        } else if text.hasPrefix("http:") {
            guard let (host, port) = Self.hostAndPort(text.dropFirst(5)) else { return nil }
            self = .http(host: host, port: port)
        } else {
            return nil
        }
    }

    private static func hostAndPort(_ rest: Substring) -> (String, Int)? {
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(rest[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        return (host, port)
    }

    public var description: String {
        switch self {
        case .unix(let path): "unix:\(path)"
        case .tcp(let host, let port): host.contains(":") ? "tcp:[\(host)]:\(port)" : "tcp:\(host):\(port)"
        case .tls(let host, let port): host.contains(":") ? "tls:[\(host)]:\(port)" : "tls:\(host):\(port)"
        case .http(let host, let port): host.contains(":") ? "http:[\(host)]:\(port)" : "http:\(host):\(port)"
        }
    }

    public var isUnix: Bool { if case .unix = self { true } else { false } }
    public var isTCP: Bool { if case .tcp = self { true } else { false } }
    public var isTLS: Bool { if case .tls = self { true } else { false } }
    public var isHTTP: Bool { if case .http = self { true } else { false } }

    /// An `http:` listener that other machines can reach: it must ask for a monitor token.
    public var isHTTPOffLoopback: Bool {
        guard case .http(let host, _) = self else { return false }
        return !Self.isLoopback(host)
    }

    /// A plain `tcp:` listener that other machines can reach: client codes and tokens would
    /// cross the network readable by anyone on it.
    public var isPlaintextOffLoopback: Bool {
        guard case .tcp(let host, _) = self else { return false }
        return !Self.isLoopback(host)
    }

    /// 127.0.0.0/8, ::1 and localhost; everything else (0.0.0.0, ::, a LAN address) is the network.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }
}
