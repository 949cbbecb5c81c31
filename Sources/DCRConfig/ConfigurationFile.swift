import DCRModel
#if canImport(Glibc)
import Glibc
#endif

/// A configuration problem, located: "dcrd.conf:7: site: capacity \"x\" is not a whole number".
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}

/// Reads the chrony-style configuration: one directive per line, `#` starts a comment.
///
/// ```
/// listen unix:/run/dcr/dcrd.sock
/// listen tls:0.0.0.0:7412
/// listen http:127.0.0.1:9411
/// state-dir /var/lib/dcr
/// site H17 12
/// token booth-h17-1 terminal /etc/dcr/tokens/booth-h17-1
/// unix-role gid 998 monitor
/// ```
public enum ConfigurationFile {
    public static let directives = [
        "listen", "state-dir", "time-zone", "site", "max-frame-bytes", "max-connections",
        "idle-timeout", "max-future-skew", "booth-timeout", "max-suspension", "void-window", "max-request-rate", "max-in-flight",
        "pseudonym-key-file", "pseudonym-key-credential", "token", "unix-role", "log-level",
        "commit-max-delay-us", "commit-max-batch", "watch-interval-ms", "status-interval",
        "hello-timeout", "max-unauthenticated", "max-connections-per-peer", "hello-failure-delay-ms",
        "output-buffer-bytes", "max-output-bytes", "refusal-log-interval",
        "tls-certificate", "tls-key", "tls-key-credential", "tls-client-ca", "tls-client",
        "tls-expiry-warning-days", "allow-plaintext-tcp", "http-max-connections",
        "forward", "forward-password-file", "forward-ca", "forward-source", "forward-batch", "forward-interval-ms",
        "forward-retry-max", "forward-timeout",
        "backup-dir", "backup-every", "backup-keep", "retain-years", "retention-batch", "retention-pause-ms",
        "retention-interval",
    ]

    public static func load(path: String, base: DaemonConfiguration = DaemonConfiguration()) throws(ConfigurationError) -> DaemonConfiguration {
        guard let text = readText(path) else {
            throw ConfigurationError(file: path, line: 0, message: "cannot read: \(String(cString: strerror(errno)))")
        }
        return try parse(text, file: path, base: base, readSecret: readText)
    }

    /// `readSecret` reads token files; injectable so tests need no files.
    /// The text's lines, cut at each "\n" scalar (line numbers in errors count these).
    public static func lines(_ text: String) -> [Substring.UnicodeScalarView] {
        Substring(text).unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
    }

    public static func parse(_ text: String, file: String, base: DaemonConfiguration = DaemonConfiguration(),
                             readSecret: (String) -> String? = readText) throws(ConfigurationError) -> DaemonConfiguration {
        var c = base
        var listens: [ListenAddress] = []
        var sites: [Site] = []
        var forward: ForwardSettings? = base.forward
        var forwardOptions: [(inout ForwardSettings) -> Void] = []
        // Lines, comments and words are cut at Unicode scalars, not at Swift's characters: "\r\n"
        // is one character (a CRLF file would read as one line), and so is a space followed by a
        // combining mark (a value starting with one would join its keyword).
        for (index, rawLine) in Self.lines(text).enumerated() {
            let n = index + 1
            let line = rawLine.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? rawLine.prefix(0)
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
                .map { String(String.UnicodeScalarView($0)) }
            guard let keyword = words.first else { continue }
            let args = Array(words.dropFirst())
            func fail(_ message: String) -> ConfigurationError {
                ConfigurationError(file: file, line: n, message: "\(keyword): \(message)")
            }
            func one() throws(ConfigurationError) -> String {
                guard args.count == 1 else { throw fail("takes exactly one value, got \(args.count)") }
                return args[0]
            }
            func number(_ range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
                let v = try one()
                guard let i = Int(v) else { throw fail("\"\(v)\" is not a whole number") }
                guard range.contains(i) else { throw fail("\(i) is outside \(range.lowerBound)…\(range.upperBound)") }
                return i
            }
            switch keyword {
            case "listen":
                let v = try one()
                guard let a = ListenAddress(parsing: v) else { throw fail("\"\(v)\" is not unix:PATH, tcp:HOST:PORT, tls:HOST:PORT or http:HOST:PORT") }
                listens.append(a)
            case "state-dir": c.stateDirectory = try one()
            case "time-zone":
                let v = try one()
                guard LocalCalendar(identifier: v) != nil else { throw fail("\"\(v)\" is not a time zone this system knows") }
                c.timeZone = v
            case "site":
                guard args.count == 2 else { throw fail("takes CODE CAPACITY, e.g. \"site H17 12\"") }
                guard Site.isValidCode(args[0]) else { throw fail("\"\(args[0])\" is not a site code (A-Z, 0-9, - and _, at most 16)") }
                guard let cap = UInt32(args[1]), (1...1000).contains(cap) else { throw fail("capacity \"\(args[1])\" is not a whole number 1…1000") }
                guard !sites.contains(where: { $0.code == args[0] }) else { throw fail("site \(args[0]) is configured twice") }
                sites.append(Site(code: args[0], capacity: cap))
            case "max-frame-bytes": c.maxFrameBytes = try number(64...16 * 1024 * 1024)
            case "max-connections": c.maxConnections = try number(1...100_000)
            case "idle-timeout": c.idleTimeoutSeconds = try number(1...86400)
            case "max-future-skew": c.maxFutureSkewSeconds = try number(0...86400)
            case "booth-timeout": c.boothTimeoutMinutes = try number(1...24 * 60)
            case "max-suspension": c.maxSuspensionMinutes = try number(1...7 * 24 * 60)
            case "void-window": c.voidWindowMinutes = try number(0...366 * 24 * 60)
            case "max-request-rate": c.maxRequestRate = try number(0...10_000_000)
            case "max-in-flight": c.maxInFlight = try number(1...1_000_000)
            case "pseudonym-key-file": c.pseudonymKeyFile = try one()
            case "pseudonym-key-credential": c.pseudonymKeyCredential = try one()
            case "log-level":
                let v = try one()
                guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(v) else {
                    throw fail("\"\(v)\" is not one of trace, debug, info, notice, warning, error, critical")
                }
                c.logLevel = v
            case "commit-max-delay-us": c.commitMaxDelayMicroseconds = try number(0...1_000_000)
            case "commit-max-batch": c.commitMaxBatch = try number(1...1_000_000)
            case "watch-interval-ms": c.watchDefaultIntervalMs = try number(c.watchMinIntervalMs...3_600_000)
            case "status-interval": c.statusIntervalSeconds = try number(1...3600)
            case "hello-timeout": c.helloTimeoutSeconds = try number(1...3600)
            case "max-unauthenticated": c.maxUnauthenticated = try number(1...100_000)
            case "max-connections-per-peer": c.maxConnectionsPerPeer = try number(1...100_000)
            case "hello-failure-delay-ms": c.helloFailureDelayMs = try number(0...60_000)
            case "output-buffer-bytes": c.outputBufferBytes = try number(1024...1 << 30)
            case "max-output-bytes": c.maxOutputBytes = try number(1024...1 << 30)
            case "refusal-log-interval": c.refusalLogIntervalSeconds = try number(1...86400)
            case "tls-certificate": c.tls.certificateFile = try one()
            case "tls-key": c.tls.keyFile = try one()
            case "tls-key-credential": c.tls.keyCredential = try one()
            case "tls-client-ca": c.tls.clientCAFile = try one()
            case "tls-expiry-warning-days": c.tls.expiryWarningDays = try number(0...3650)
            case "allow-plaintext-tcp":
                let v = try one()
                guard v == "yes" || v == "no" else { throw fail("\"\(v)\" is not yes or no") }
                c.allowPlaintextTCP = v == "yes"
            case "http-max-connections": c.httpMaxConnections = try number(1...100_000)
            case "forward":
                switch ForwardSettings.parse(try one()) {
                case .success(let f): forward = f
                case .failure(let e): throw fail(e.description)
                }
            case "forward-password-file": forwardOptions.append { $0.passwordFile = args.first }; _ = try one()
            case "forward-ca": forwardOptions.append { $0.caFile = args.first }; _ = try one()
            case "forward-source":
                let v = try one()
                guard Site.isValidCode(v) || v.split(separator: "+").allSatisfy({ Site.isValidCode(String($0)) }) && v.count <= 64 else {
                    throw fail("\"\(v)\" is not a source name (A-Z, 0-9, -, _ and +, at most 64)")
                }
                forwardOptions.append { $0.source = v }
            case "forward-batch": let n = try number(1...1_500); forwardOptions.append { $0.batch = n }
            case "forward-interval-ms": let n = try number(10...60_000); forwardOptions.append { $0.intervalMs = n }
            case "forward-retry-max": let n = try number(1...3600); forwardOptions.append { $0.retryMaxSeconds = n }
            case "forward-timeout": let n = try number(1...3600); forwardOptions.append { $0.timeoutSeconds = Int64(n) }
            case "tls-client":
                guard args.count == 2 else { throw fail("takes NAME ROLE, e.g. \"tls-client booth-h17-1 terminal\" (NAME: the certificate's CN or a DNS SAN)") }
                guard let role = Role(label: args[1]), role != .unspecified else { throw fail("\"\(args[1])\" is not a role (terminal, monitor, admin)") }
                guard !c.tls.clients.contains(where: { $0.name == args[0] }) else { throw fail("\(args[0]) is configured twice") }
                c.tls.clients.append(TLSClientRule(name: args[0], role: role))
            case "backup-dir":
                let v = try one()
                guard v.hasPrefix("/") else { throw fail("\"\(v)\" must be an absolute path") }
                c.backupDirectory = v
            case "backup-every": c.backupEverySeconds = try number(1...366 * 86400)
            case "backup-keep": c.backupKeep = try number(1...10_000)
            case "retain-years": c.retainYears = try number(0...100)
            case "retention-batch": c.retentionBatch = try number(1...10_000)
            case "retention-pause-ms": c.retentionPauseMs = try number(0...60_000)
            case "retention-interval": c.retentionIntervalSeconds = try number(1...7 * 86400)
            case "token":
                guard args.count == 3 else { throw fail("takes NAME ROLE FILE, e.g. \"token booth-1 terminal /etc/dcr/tokens/booth-1\"") }
                guard let role = Role(label: args[1]), role != .unspecified else { throw fail("\"\(args[1])\" is not a role (terminal, monitor, admin)") }
                guard let secret = readSecret(args[2]) else { throw fail("cannot read token file \(args[2]) (it must exist and be readable by the user dcrd runs as)") }
                let bytes = Array(secret.trimmingWhitespace().utf8)
                guard bytes.count >= 16 else { throw fail("token in \(args[2]) is shorter than 16 characters") }
                c.tokens.append(TerminalToken(name: args[0], role: role, secret: bytes))
            case "unix-role":
                guard args.count == 3 || (args.count == 2 && args[0] == "anyone") else {
                    throw fail("takes uid ID ROLE, gid ID ROLE or anyone ROLE")
                }
                guard let role = Role(label: args.last!), role != .unspecified else { throw fail("\"\(args.last!)\" is not a role (terminal, monitor, admin)") }
                let subject: UnixRoleRule.Subject
                switch args[0] {
                case "anyone": subject = .anyone
                case "uid", "gid":
                    guard let id = resolveID(args[1], group: args[0] == "gid") else { throw fail("no such \(args[0] == "gid" ? "group" : "user") \"\(args[1])\"") }
                    subject = args[0] == "uid" ? .uid(id) : .gid(id)
                default: throw fail("\"\(args[0])\" is not uid, gid or anyone")
                }
                c.unixRoles.append(UnixRoleRule(subject: subject, role: role))
            default:
                throw ConfigurationError(file: file, line: n, message: "unknown directive \"\(keyword)\" (known: \(directives.joined(separator: ", ")))")
            }
        }
        if c.maxOutputBytes < c.outputBufferBytes {
            throw ConfigurationError(file: file, line: 0, message:
                "max-output-bytes: \(c.maxOutputBytes) is below output-buffer-bytes \(c.outputBufferBytes)")
        }
        if var f = forward {
            for option in forwardOptions { option(&f) }
            c.forward = f
        } else if !forwardOptions.isEmpty {
            throw ConfigurationError(file: file, line: 0, message: "forward-* directives need a forward postgres://… line")
        }
        if !listens.isEmpty { c.listen = listens }
        if !sites.isEmpty { c.sites = sites }
        return c
    }

    public static func readText(_ path: String) -> String? {
        guard let f = fopen(path, "r") else { return nil }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&chunk, 1, chunk.count, f)
            if n <= 0 { break }
            bytes += chunk[0..<n]
            if bytes.count > 1 << 20 { return nil }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func resolveID(_ text: String, group: Bool) -> UInt32? {
        if let n = UInt32(text) { return n }
        if group { return getgrnam(text).map { $0.pointee.gr_gid } }
        return getpwnam(text).map { $0.pointee.pw_uid }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
