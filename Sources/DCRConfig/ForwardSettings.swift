/// `forward postgres://USER@HOST[:PORT]/DATABASE[?sslmode=…]` and its companions: where every
/// stored event is copied for the city's central numbers, and how.
public struct ForwardSettings: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var sslMode: SSLMode
    /// The file with the forwarder's password (`forward-password-file`); the systemd credential
    /// `dcr-forward-password` wins when passed.
    public var passwordFile: String?
    public var passwordCredential = "dcr-forward-password"
    /// PEM CA bundle for `require` / `verify-full` (`forward-ca`); default the system's.
    public var caFile: String?
    /// What this daemon's rows say in the central `source` column (`forward-source`); default
    /// the configured site codes joined by "+".
    public var source: String?
    /// Events per INSERT (`forward-batch`).
    public var batch = 1000
    /// How often an idle forwarder looks for new events (`forward-interval-ms`).
    public var intervalMs = 200
    /// The longest pause between attempts while PostgreSQL is away (`forward-retry-max`, seconds).
    public var retryMaxSeconds = 30
    /// How long a connection attempt or one batch's INSERT may take before the connection is
    /// dropped and made again (`forward-timeout`, seconds): a network that swallows packets
    /// must not stop the forwarder for good.
    public var timeoutSeconds: Int64 = 30

    /// libpq's names, so the string means what it means to psql.
    public enum SSLMode: String, Sendable, Hashable, CaseIterable {
        case disable, require
        case verifyFull = "verify-full"
    }

    public init(host: String, port: Int = 5432, user: String, database: String, sslMode: SSLMode = .verifyFull) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.sslMode = sslMode
    }

    /// The companions' defaults, for documentation and its test.
    public static var defaults: ForwardSettings { ForwardSettings(host: "", user: "", database: "") }

    /// The target as the log and `dcrctl status` name it (never a password).
    public var target: String { "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)" }

    /// Parses the URL; the reason when it is not one this daemon can use.
    public static func parse(_ text: String) -> Result<ForwardSettings, ParseError> {
        var rest = Substring(text)
        // A password has no place here (and no error message may repeat one): checked first,
        // and no message below quotes the whole text.
        if text.lowercased().contains("password=") || Self.userInfo(of: text).contains(":") {
            return .failure(ParseError("the URL carries a password: put it in forward-password-file (or the systemd credential dcr-forward-password), where a copy of dcrd.conf cannot leak it"))
        }
        guard rest.hasPrefix("postgres://") || rest.hasPrefix("postgresql://") else {
            return .failure(ParseError("the URL does not start with postgres:// (postgres://USER@HOST[:PORT]/DATABASE[?sslmode=verify-full])"))
        }
        rest = rest.drop(while: { $0 != "/" }).dropFirst(2)
        var query: Substring = ""
        if let q = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: q)...]
            rest = rest[..<q]
        }
        guard let at = rest.lastIndex(of: "@") else { return .failure(ParseError("the URL names no user (postgres://USER@HOST/DATABASE)")) }
        let userInfo = rest[..<at]
        if userInfo.contains(":") {
            return .failure(ParseError("the URL carries a password: put it in forward-password-file (or the systemd credential dcr-forward-password), where a copy of dcrd.conf cannot leak it"))
        }
        let afterAt = rest[rest.index(after: at)...]
        guard let slash = afterAt.firstIndex(of: "/") else { return .failure(ParseError("the URL names no database (postgres://USER@HOST/DATABASE)")) }
        var hostPort = afterAt[..<slash]
        let database = String(afterAt[afterAt.index(after: slash)...])
        var port = 5432
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { return .failure(ParseError("unclosed [ in the host")) }
            let tail = hostPort[hostPort.index(after: close)...]
            if tail.hasPrefix(":") {
                guard let p = Int(tail.dropFirst()), (1...65535).contains(p) else { return .failure(ParseError("\"\(tail.dropFirst())\" is not a port")) }
                port = p
            }
            hostPort = hostPort[hostPort.index(after: hostPort.startIndex)..<close]
        } else if let colon = hostPort.lastIndex(of: ":") {
            guard let p = Int(hostPort[hostPort.index(after: colon)...]), (1...65535).contains(p) else {
                return .failure(ParseError("\"\(hostPort[hostPort.index(after: colon)...])\" is not a port"))
            }
            port = p
            hostPort = hostPort[..<colon]
        }
        guard !userInfo.isEmpty, !hostPort.isEmpty, !database.isEmpty else {
            return .failure(ParseError("the URL lacks a user, host or database (postgres://USER@HOST[:PORT]/DATABASE)"))
        }
        var settings = ForwardSettings(host: String(hostPort), port: port, user: String(userInfo), database: database)
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2, kv[0] == "sslmode" else {
                return .failure(ParseError("unknown parameter \"\(kv[0])\" (only sslmode=disable|require|verify-full)"))
            }
            guard let mode = SSLMode(rawValue: kv[1]) else { return .failure(ParseError("sslmode=\(kv[1]) is not disable, require or verify-full")) }
            settings.sslMode = mode
        }
        return .success(settings)
    }

    /// What stands between the last "/" and the last "@": USER, or USER:PASSWORD (also when the
    /// scheme is mistyped, so that the refusal never quotes a password).
    static func userInfo(of text: String) -> Substring {
        guard let at = text.lastIndex(of: "@") else { return "" }
        let before = text[..<at]
        return before[(before.lastIndex(of: "/").map { before.index(after: $0) } ?? before.startIndex)...]
    }

    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
