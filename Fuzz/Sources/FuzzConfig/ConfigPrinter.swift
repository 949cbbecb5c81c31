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
        return lines.joined(separator: "\n") + "\n"
    }
}
