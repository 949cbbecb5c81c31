import DCRModel

/// Everything `dcrd` can be told, with the defaults a fresh install runs on.
///
/// The configuration file's directives carry the same names as `dcrd`'s long options, so what an
/// operator learns in one place works in the other.
public struct DaemonConfiguration: Sendable, Equatable {
    public var listen: [ListenAddress]
    public var stateDirectory: String
    public var timeZone: String = LocalCalendar.defaultIdentifier
    public var sites: [Site] = Site.defaults
    public var maxFrameBytes: Int = 64 * 1024
    public var maxConnections: Int = 256
    public var idleTimeoutSeconds: Int = 300
    public var maxFutureSkewSeconds: Int = 300
    public var boothTimeoutMinutes: Int = 45
    /// The longest suspension a terminal may record; the documents allow "up to 24 hours".
    public var maxSuspensionMinutes: Int = 24 * 60
    /// How old (since it happened) an event a terminal may still void or amend; older ones need
    /// the admin role.
    public var voidWindowMinutes: Int = 24 * 60
    /// Requests per second one connection may send (a burst of the same size is allowed); 0: no limit.
    public var maxRequestRate: Int = 0
    /// Unacknowledged requests one connection may have before the daemon stops reading from it.
    public var maxInFlight: Int = 4096
    public var pseudonymKeyFile: String?
    /// Name of a systemd credential holding the pseudonym key (`LoadCredential=`), if any.
    public var pseudonymKeyCredential: String = "dcr-pseudonym-key"
    public var tokens: [TerminalToken] = []
    public var unixRoles: [UnixRoleRule] = []
    public var logLevel: String = "info"
    public var commitMaxDelayMicroseconds: Int = 0
    public var commitMaxBatch: Int = 4096
    public var watchDefaultIntervalMs: Int = 1000
    public var watchMinIntervalMs: Int = 100
    public var statusIntervalSeconds: Int = 5
    /// Seconds a connection may stay open without a successful Hello.
    public var helloTimeoutSeconds: Int = 10
    /// Connections without a successful Hello at once, apart from `maxConnections`.
    public var maxUnauthenticated: Int = 64
    /// Connections at once from one peer: a TCP address, or a uid on the Unix socket.
    public var maxConnectionsPerPeer: Int = 32
    /// A failed Hello is answered after this many milliseconds, then the connection is closed.
    public var helloFailureDelayMs: Int = 1000
    /// Unsent answers (bytes) on one connection above which the daemon stops reading from it.
    public var outputBufferBytes: Int = 256 * 1024
    /// Unsent answers (bytes) on one connection above which it is closed.
    public var maxOutputBytes: Int = 8 * 1024 * 1024
    /// Refused frames are logged as one summary line per this many seconds (counted always).
    public var refusalLogIntervalSeconds: Int = 60
    /// Certificates and rules for `tls:` listeners.
    public var tls = TLSSettings()
    /// Lets a plain `tcp:` listener bind to a non-loopback address (health data in the clear).
    public var allowPlaintextTCP = false
    /// Open connections on the `http:` listeners together (scrapers and wall screens); past it a
    /// new one gets 503 and is closed.
    public var httpMaxConnections: Int = 64
    /// The central PostgreSQL every stored event is copied to (`forward …`); nil: none.
    public var forward: ForwardSettings?
    /// Where scheduled backups go; nil: no scheduled backups (`dcrctl backup` still works).
    public var backupDirectory: String?
    /// Seconds between scheduled backups (the first one this long after start).
    public var backupEverySeconds: Int = 86_400
    /// Scheduled backups kept in `backupDirectory`; older ones are deleted after a good backup.
    public var backupKeep: Int = 7
    /// Raw events older than this many years are deleted, after their year is kept as
    /// aggregates; 0: raw events are kept forever.
    public var retainYears: Int = 0
    /// Raw events deleted per step. Each step rides in one of the writer's commits, after that
    /// commit's events (no fsync of its own), so it must stay small: 20 rows add well under a
    /// millisecond to the acknowledgements of that commit (Benchmarks/README.md, "Retention").
    public var retentionBatch: Int = 20
    /// Pause between two deletion steps, so acknowledgements go first.
    public var retentionPauseMs: Int = 10
    /// Seconds between retention passes (the first right after start).
    public var retentionIntervalSeconds: Int = 3600

    public init(listen: [ListenAddress]? = nil, stateDirectory: String? = nil) {
        self.listen = listen ?? [.unix(path: DefaultPaths.socketPath),
                                 .tcp(host: "127.0.0.1", port: DefaultPaths.tcpPort)]
        self.stateDirectory = stateDirectory ?? DefaultPaths.stateDirectory
    }

    /// The key file actually used: the configured one, or `DefaultPaths.pseudonymKeyFile`
    /// (never inside the state directory).
    public var effectivePseudonymKeyFile: String {
        pseudonymKeyFile ?? DefaultPaths.pseudonymKeyFile
    }

    /// True when a configured plain `tcp:` listener is reachable from the network.
    public var plaintextTCPOffLoopback: Bool { listen.contains { $0.isPlaintextOffLoopback } }
    /// Where versions before key custody created the key by default; the daemon refuses to
    /// start while a key sits there unconfigured (see `DaemonRunner.openPseudonymizer`).
    public var legacyPseudonymKeyFile: String { stateDirectory + "/pseudonym.key" }

    /// Access for local peers: the configured rules, then the defaults (root and the daemon's own
    /// user are admins; any other local user may be a terminal or a monitor).
    public func unixRole(uid: UInt32, gid: UInt32, daemonUID: UInt32) -> Role {
        var best: Role?
        for rule in unixRoles {
            let applies: Bool
            switch rule.subject {
            case .uid(let u): applies = u == uid
            case .gid(let g): applies = g == gid
            case .anyone: applies = true
            }
            if applies { best = max(best ?? rule.role, rule.role) }
        }
        if let best { return best }
        return uid == 0 || uid == daemonUID ? .admin : .monitor
    }
}
