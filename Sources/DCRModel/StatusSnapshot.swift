/// The daemon's own health: cumulative counters (never reset on read) and rates over several
/// horizons, stamped with its clock and uptime so that deltas between two reads are right.
public struct StatusSnapshot: Sendable, Hashable {
    public var serverVersion: String
    public var startedAtMs: Int64
    public var uptimeMs: UInt64
    public var serverTimeMs: Int64
    public var connections: [Role: UInt32]
    public var eventsStored: [EventKind: UInt64]
    public var ingestPerSecond1s: Double
    public var ingestPerSecond1m: Double
    public var ingestPerSecond5m: Double
    public var rejectedFrames: [String: UInt64]
    public var duplicates: UInt64
    public var invalidEvents: UInt64
    public var unknownEnumValues: UInt64
    public var storeCommits: UInt64
    public var storeCommitLastUs: UInt64
    public var storeCommitMaxUs: UInt64
    public var storeCommitMeanUs: Double
    public var configState: String
    /// The TLS server certificate's notAfter (ms since the epoch); 0 when no `tls:` listener.
    public var tlsCertificateExpiresMs: Int64 = 0
    /// A plain `tcp:` listener reachable from the network (`allow-plaintext-tcp yes`).
    public var plaintextTCPOffLoopback: Bool = false
    /// The last backup since start (by `dcrctl backup` or the schedule): when it finished
    /// (0: none), "ok" or why it failed ("" when none), the file, the events in it.
    public var lastBackupAtMs: Int64 = 0
    public var lastBackupResult: String = ""
    public var lastBackupPath: String = ""
    public var lastBackupEvents: UInt64 = 0
    /// Retention: the oldest raw event's local date ("" when none), the years in force (0:
    /// forever), raw events deleted since start.
    public var oldestRawEvent: String = ""
    public var retainYears: UInt32 = 0
    public var retentionDeleted: UInt64 = 0
    /// The forwarder to the central PostgreSQL ("" target: off): events committed there since
    /// start, stored events not yet there and how long the oldest has waited, the last failure
    /// ("" once an attempt succeeds again) and when, failed attempts since start.
    public var forwardTarget: String = ""
    public var forwardForwarded: UInt64 = 0
    public var forwardLagEvents: UInt64 = 0
    public var forwardLagSeconds: Double = 0
    public var forwardLastError: String = ""
    public var forwardLastErrorAtMs: Int64 = 0
    public var forwardFailures: UInt64 = 0

    public init(serverVersion: String = "", startedAtMs: Int64 = 0, uptimeMs: UInt64 = 0,
                serverTimeMs: Int64 = 0, connections: [Role: UInt32] = [:],
                eventsStored: [EventKind: UInt64] = [:], ingestPerSecond1s: Double = 0,
                ingestPerSecond1m: Double = 0, ingestPerSecond5m: Double = 0,
                rejectedFrames: [String: UInt64] = [:], duplicates: UInt64 = 0,
                invalidEvents: UInt64 = 0, unknownEnumValues: UInt64 = 0, storeCommits: UInt64 = 0,
                storeCommitLastUs: UInt64 = 0, storeCommitMaxUs: UInt64 = 0,
                storeCommitMeanUs: Double = 0, configState: String = "ok") {
        self.serverVersion = serverVersion
        self.startedAtMs = startedAtMs
        self.uptimeMs = uptimeMs
        self.serverTimeMs = serverTimeMs
        self.connections = connections
        self.eventsStored = eventsStored
        self.ingestPerSecond1s = ingestPerSecond1s
        self.ingestPerSecond1m = ingestPerSecond1m
        self.ingestPerSecond5m = ingestPerSecond5m
        self.rejectedFrames = rejectedFrames
        self.duplicates = duplicates
        self.invalidEvents = invalidEvents
        self.unknownEnumValues = unknownEnumValues
        self.storeCommits = storeCommits
        self.storeCommitLastUs = storeCommitLastUs
        self.storeCommitMaxUs = storeCommitMaxUs
        self.storeCommitMeanUs = storeCommitMeanUs
        self.configState = configState
    }
}
