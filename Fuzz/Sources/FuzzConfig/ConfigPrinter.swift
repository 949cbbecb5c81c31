import DCRConfig
import DCRModel

/// A configuration as the directives that make it: every value, defaults included, so that the
/// text parses to the same configuration on top of the embedded defaults.
enum ConfigPrinter {
    static func print(_ c: DaemonConfiguration) -> String {
        var lines: [String] = []
        for a in c.listen { lines.append("listen \(a)") }
        lines.append("state-dir \(c.stateDirectory)")
        // Only when set: building a calendar costs a millisecond, most of an execution's time.
        if c.timeZone != DaemonConfiguration().timeZone { lines.append("time-zone \(c.timeZone)") }
        for s in c.sites { lines.append("site \(s.code) \(s.capacity)") }
        lines.append("max-frame-bytes \(c.maxFrameBytes)")
        lines.append("max-connections \(c.maxConnections)")
        lines.append("idle-timeout \(c.idleTimeoutSeconds)")
        lines.append("max-future-skew \(c.maxFutureSkewSeconds)")
        lines.append("booth-timeout \(c.boothTimeoutMinutes)")
        lines.append("max-request-rate \(c.maxRequestRate)")
        lines.append("max-in-flight \(c.maxInFlight)")
        if let key = c.pseudonymKeyFile { lines.append("pseudonym-key-file \(key)") }
        lines.append("pseudonym-key-credential \(c.pseudonymKeyCredential)")
        for t in c.tokens { lines.append("token \(t.name) \(t.role.label) \(FuzzSecrets.path(of: t.secret))") }
        for r in c.unixRoles {
            let subject = switch r.subject {
            case .uid(let u): "uid \(u)"
            case .gid(let g): "gid \(g)"
            case .anyone: "anyone"
            }
            lines.append("unix-role \(subject) \(r.role.label)")
        }
        lines.append("log-level \(c.logLevel)")
        lines.append("commit-max-delay-us \(c.commitMaxDelayMicroseconds)")
        lines.append("commit-max-batch \(c.commitMaxBatch)")
        lines.append("watch-interval-ms \(c.watchDefaultIntervalMs)")
        lines.append("status-interval \(c.statusIntervalSeconds)")
        lines.append("hello-timeout \(c.helloTimeoutSeconds)")
        lines.append("max-unauthenticated \(c.maxUnauthenticated)")
        lines.append("max-connections-per-peer \(c.maxConnectionsPerPeer)")
        lines.append("hello-failure-delay-ms \(c.helloFailureDelayMs)")
        lines.append("output-buffer-bytes \(c.outputBufferBytes)")
        lines.append("max-output-bytes \(c.maxOutputBytes)")
        lines.append("refusal-log-interval \(c.refusalLogIntervalSeconds)")
        // Issues 11-16: corrections, TLS, the http: listener, backups, retention, forwarding.
        lines.append("max-suspension \(c.maxSuspensionMinutes)")
        lines.append("void-window \(c.voidWindowMinutes)")
        if let v = c.tls.certificateFile { lines.append("tls-certificate \(v)") }
        if let v = c.tls.keyFile { lines.append("tls-key \(v)") }
        lines.append("tls-key-credential \(c.tls.keyCredential)")
        if let v = c.tls.clientCAFile { lines.append("tls-client-ca \(v)") }
        for r in c.tls.clients { lines.append("tls-client \(r.name) \(r.role.label)") }
        lines.append("tls-expiry-warning-days \(c.tls.expiryWarningDays)")
        lines.append("allow-plaintext-tcp \(c.allowPlaintextTCP ? "yes" : "no")")
        lines.append("http-max-connections \(c.httpMaxConnections)")
        if let v = c.backupDirectory { lines.append("backup-dir \(v)") }
        lines.append("backup-every \(c.backupEverySeconds)")
        lines.append("backup-keep \(c.backupKeep)")
        lines.append("retain-years \(c.retainYears)")
        lines.append("retention-batch \(c.retentionBatch)")
        lines.append("retention-pause-ms \(c.retentionPauseMs)")
        lines.append("retention-interval \(c.retentionIntervalSeconds)")
        if let f = c.forward {
            lines.append("forward postgres://\(f.user)@\(f.host.contains(":") ? "[\(f.host)]" : f.host):\(f.port)/\(f.database)?sslmode=\(f.sslMode.rawValue)")
            if let v = f.passwordFile { lines.append("forward-password-file \(v)") }
            if let v = f.caFile { lines.append("forward-ca \(v)") }
            if let v = f.source { lines.append("forward-source \(v)") }
            lines.append("forward-batch \(f.batch)")
            lines.append("forward-interval-ms \(f.intervalMs)")
            lines.append("forward-retry-max \(f.retryMaxSeconds)")
            lines.append("forward-timeout \(f.timeoutSeconds)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
