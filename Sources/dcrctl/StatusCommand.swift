import ArgumentParser
import DCRModel
import DCRWire

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "The daemon's health: uptime, connections, events stored, ingest rates, rejected frames.")

    @OptionGroup var connection: ConnectionOptions
    @Flag(name: .long, help: "Print JSON ({\"version\": 1, …}).") var json = false
    @Option(name: .long, help: ArgumentHelp("Repeat every N seconds until interrupted.", valueName: "seconds"))
    var watch: Double?

    func run() async throws {
        let c = try await connection.open(role: .monitor)
        defer { Task { await c.close() } }
        try await repeating(every: watch) {
            let r = try checked(try await c.send(.status))
            guard case .status(let s) = r.body else { throw ExitCode(1) }
            print(json ? StatusView.json(s).render() : StatusView.text(s))
        }
    }
}

enum StatusView {
    static func json(_ s: StatusSnapshot) -> JSON {
        .object([
            ("version", .int(1)),
            ("server_version", .string(s.serverVersion)),
            ("server_time_ms", .int(s.serverTimeMs)),
            ("started_at_ms", .int(s.startedAtMs)),
            ("uptime_ms", .uint(s.uptimeMs)),
            ("connections", .object(Role.allCases.filter { $0 != .unspecified }.map { ($0.label, .uint(UInt64(s.connections[$0] ?? 0))) })),
            ("events_stored", .object(EventKind.allCases.map { ($0.label, .uint(s.eventsStored[$0] ?? 0)) })),
            ("ingest_per_second", .object([("1s", .double(s.ingestPerSecond1s)), ("1m", .double(s.ingestPerSecond1m)), ("5m", .double(s.ingestPerSecond5m))])),
            ("rejected_frames", .object(s.rejectedFrames.sorted { $0.key < $1.key }.map { ($0.key, .uint($0.value)) })),
            ("duplicates", .uint(s.duplicates)),
            ("invalid_events", .uint(s.invalidEvents)),
            ("unknown_enum_values", .uint(s.unknownEnumValues)),
            ("store", .object([("commits", .uint(s.storeCommits)), ("commit_last_us", .uint(s.storeCommitLastUs)),
                               ("commit_max_us", .uint(s.storeCommitMaxUs)), ("commit_mean_us", .double(s.storeCommitMeanUs))])),
            ("config_state", .string(s.configState)),
            ("tls_certificate_expires_ms", .int(s.tlsCertificateExpiresMs)),
            ("plaintext_tcp_off_loopback", .bool(s.plaintextTCPOffLoopback)),
            ("retention", .object([("retain_years", .uint(UInt64(s.retainYears))), ("oldest_raw_event", .string(s.oldestRawEvent)),
                                   ("deleted_since_start", .uint(s.retentionDeleted))])),
            ("last_backup", .object([("finished_at_ms", .int(s.lastBackupAtMs)), ("result", .string(s.lastBackupResult)),
                                     ("path", .string(s.lastBackupPath)), ("events", .uint(s.lastBackupEvents))])),
            ("forward", forwardJSON(s)),
        ])
    }

    static func forwardJSON(_ s: StatusSnapshot) -> JSON {
        .object([("target", .string(s.forwardTarget)), ("forwarded_since_start", .uint(s.forwardForwarded)),
                 ("lag_events", .uint(s.forwardLagEvents)), ("lag_seconds", .double(s.forwardLagSeconds)),
                 ("last_error", .string(s.forwardLastError)), ("last_error_at_ms", .int(s.forwardLastErrorAtMs)),
                 ("failures_since_start", .uint(s.forwardFailures))])
    }

    /// One line for `dcrctl status`; `dcrctl forward --status` prints the detail.
    static func forwardLine(_ s: StatusSnapshot) -> String {
        guard !s.forwardTarget.isEmpty else { return "off" }
        let lag = s.forwardLagEvents == 0 ? "up to date" : "\(grouped(s.forwardLagEvents)) events behind (oldest waiting \(fixed(s.forwardLagSeconds, 0)) s)"
        return "\(s.forwardTarget): \(lag); \(grouped(s.forwardForwarded)) forwarded since start"
            + (s.forwardLastError.isEmpty ? "" : "; FAILING: \(s.forwardLastError)")
    }

    static func text(_ s: StatusSnapshot) -> String {
        let stored = EventKind.allCases.map { "\($0.label) \(grouped(s.eventsStored[$0] ?? 0))" }.joined(separator: ", ")
        let total = s.eventsStored.values.reduce(0, +)
        let conns = Role.allCases.filter { $0 != .unspecified }.map { "\($0.label) \(s.connections[$0] ?? 0)" }.joined(separator: ", ")
        let rejected = s.rejectedFrames.isEmpty ? "none" : s.rejectedFrames.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        return """
            dcrd \(s.serverVersion), up \(duration(ms: s.uptimeMs))
            connections      \(conns)
            events stored    \(grouped(total)) (\(stored))
            ingest /s        \(fixed(s.ingestPerSecond1s)) (1 s), \(fixed(s.ingestPerSecond1m)) (1 min), \(fixed(s.ingestPerSecond5m)) (5 min)
            duplicates       \(grouped(s.duplicates)); invalid \(grouped(s.invalidEvents)); unknown enum values \(grouped(s.unknownEnumValues))
            rejected frames  \(rejected)
            store commits    \(grouped(s.storeCommits)); last \(s.storeCommitLastUs) µs, mean \(fixed(s.storeCommitMeanUs, 0)) µs, max \(s.storeCommitMaxUs) µs
            configuration    \(s.configState)
            last backup      \(backupLine(s))
            forward          \(forwardLine(s))
            retention        \(s.retainYears == 0 ? "raw events kept forever" : "raw events older than \(s.retainYears) years deleted (kept as aggregates); \(grouped(s.retentionDeleted)) since start"); oldest raw event \(s.oldestRawEvent.isEmpty ? "none" : s.oldestRawEvent)
            """ + transport(s)
    }

    /// The TLS certificate's expiry (days left by the daemon's clock) and any plaintext exposure.
    static func transport(_ s: StatusSnapshot) -> String {
        var lines = ""
        if s.tlsCertificateExpiresMs != 0 {
            let days = (s.tlsCertificateExpiresMs - s.serverTimeMs) / 86_400_000
            let left = s.tlsCertificateExpiresMs <= s.serverTimeMs ? "EXPIRED" : "\(days) days left"
            lines += "\ntls certificate  expires \(UTCTimestamp.text(ms: s.tlsCertificateExpiresMs)) (\(left))"
        }
        if s.plaintextTCPOffLoopback {
            lines += "\nWARNING          plain tcp: is reachable from the network: health data crosses it unencrypted (allow-plaintext-tcp yes, or an inherited socket); use tls:"
        }
        return lines
    }

    static func backupLine(_ s: StatusSnapshot) -> String {
        guard s.lastBackupAtMs != 0 else { return "none since start" }
        let age = duration(ms: UInt64(max(0, s.serverTimeMs - s.lastBackupAtMs)))
        return s.lastBackupResult == "ok"
            ? "ok, \(age) ago: \(s.lastBackupPath) (\(grouped(s.lastBackupEvents)) events)"
            : "FAILED \(age) ago: \(s.lastBackupResult)"
    }
}
