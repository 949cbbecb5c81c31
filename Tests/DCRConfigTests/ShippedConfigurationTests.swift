import DCRConfig
import Foundation
import Testing

/// `Deploy/dcrd.conf` is what an operator installs and reads: one list of directives, checked
/// both ways against the parser, so the file can neither hold a line the daemon refuses (the
/// `commit-max-delay-ms` that kept the service from ever starting) nor leave a directive out.
@Suite("Deploy/dcrd.conf against the parser")
struct ShippedConfigurationTests {
    static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Deploy/dcrd.conf").path
    let text = try! String(contentsOfFile: Self.path, encoding: .utf8)

    /// The defaults a reader must see, from the code itself; nil where the default is a list or
    /// depends on the environment (the comment then says it in words).
    static func defaultValue(_ directive: String) -> String? {
        let c = DaemonConfiguration(listen: [], stateDirectory: "")
        switch directive {
        case "time-zone": return c.timeZone
        case "max-frame-bytes": return "\(c.maxFrameBytes)"
        case "max-connections": return "\(c.maxConnections)"
        case "idle-timeout": return "\(c.idleTimeoutSeconds)"
        case "max-future-skew": return "\(c.maxFutureSkewSeconds)"
        case "booth-timeout": return "\(c.boothTimeoutMinutes)"
        case "max-suspension": return "\(c.maxSuspensionMinutes)"
        case "void-window": return "\(c.voidWindowMinutes)"
        case "max-request-rate": return "\(c.maxRequestRate)"
        case "max-in-flight": return "\(c.maxInFlight)"
        case "pseudonym-key-credential": return c.pseudonymKeyCredential
        case "log-level": return c.logLevel
        case "commit-max-delay-us": return "\(c.commitMaxDelayMicroseconds)"
        case "commit-max-batch": return "\(c.commitMaxBatch)"
        case "watch-interval-ms": return "\(c.watchDefaultIntervalMs)"
        case "status-interval": return "\(c.statusIntervalSeconds)"
        case "hello-timeout": return "\(c.helloTimeoutSeconds)"
        case "max-unauthenticated": return "\(c.maxUnauthenticated)"
        case "max-connections-per-peer": return "\(c.maxConnectionsPerPeer)"
        case "hello-failure-delay-ms": return "\(c.helloFailureDelayMs)"
        case "output-buffer-bytes": return "\(c.outputBufferBytes)"
        case "max-output-bytes": return "\(c.maxOutputBytes)"
        case "refusal-log-interval": return "\(c.refusalLogIntervalSeconds)"
        case "tls-key-credential": return c.tls.keyCredential
        case "tls-expiry-warning-days": return "\(c.tls.expiryWarningDays)"
        case "allow-plaintext-tcp": return c.allowPlaintextTCP ? "yes" : "no"
        case "http-max-connections": return "\(c.httpMaxConnections)"
        case "backup-every": return "\(c.backupEverySeconds)"
        case "backup-keep": return "\(c.backupKeep)"
        case "retain-years": return "\(c.retainYears)"
        case "retention-batch": return "\(c.retentionBatch)"
        case "retention-pause-ms": return "\(c.retentionPauseMs)"
        case "retention-interval": return "\(c.retentionIntervalSeconds)"
        case "forward-batch": return "\(ForwardSettings.defaults.batch)"
        case "forward-interval-ms": return "\(ForwardSettings.defaults.intervalMs)"
        case "forward-retry-max": return "\(ForwardSettings.defaults.retryMaxSeconds)"
        case "forward-timeout": return "\(ForwardSettings.defaults.timeoutSeconds)"
        default: return nil
        }
    }

    /// Lines that set a directive or show it commented out (`#name value`), with the comment
    /// block just above each.
    func entries() -> [(directive: String, line: String, comment: String, active: Bool)] {
        var result: [(String, String, String, Bool)] = []
        var comment: [String] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { comment = []; continue }
            let body = line.hasPrefix("#") ? String(line.dropFirst()) : line
            let first = body.split(separator: " ").first.map(String.init) ?? ""
            let isDirective = ConfigurationFile.directives.contains(first) && !body.hasPrefix(" ")
            if isDirective || !line.hasPrefix("#") {
                result.append((first, line, comment.joined(separator: " "), !line.hasPrefix("#")))
            } else {
                comment.append(body)
            }
        }
        return result
    }

    /// User and group names of the target system (dcr, kiosk) need not exist on a build machine.
    static func portable(_ line: String) -> String {
        line.replacingOccurrences(of: " kiosk ", with: " 0 ").replacingOccurrences(of: " dcr ", with: " 0 ")
    }

    @Test("every line in the shipped file is accepted by the parser, commented-out examples too")
    func everyLineParses() throws {
        let secret: (String) -> String? = { _ in "0123456789abcdef0123" }
        #expect(throws: Never.self) { _ = try ConfigurationFile.parse(Self.portable(text), file: "Deploy/dcrd.conf", readSecret: secret) }
        let examples = entries().filter { !$0.active }
        #expect(!examples.isEmpty)
        // forward-* only means something beside a forward line, so each is tried with one.
        let forwardLine = examples.first { $0.directive == "forward" }.map { String($0.line.dropFirst()) + "\n" } ?? ""
        for entry in examples {
            let context = entry.directive.hasPrefix("forward-") ? forwardLine : ""
            #expect(throws: Never.self, "\(entry.line)") {
                _ = try ConfigurationFile.parse(context + Self.portable(String(entry.line.dropFirst())), file: "Deploy/dcrd.conf", readSecret: secret)
            }
        }
    }

    @Test("every directive the parser knows is in the shipped file, with its default")
    func everyDirectiveDocumented() {
        let found = entries()
        for directive in ConfigurationFile.directives {
            let mine = found.filter { $0.directive == directive }
            #expect(!mine.isEmpty, "Deploy/dcrd.conf does not mention \(directive)")
            guard let first = mine.first else { continue }
            let said = mine.map { $0.comment }.joined(separator: " ")
            if let value = Self.defaultValue(directive) {
                let shown = mine.contains { $0.line.hasSuffix(" " + value) && !$0.active }
                #expect(shown || said.contains("Default: \(value)") || said.contains("Defaults: ") && said.contains(value),
                        "\(directive): Deploy/dcrd.conf should give its default \(value) (\(first.line))")
            } else {
                #expect(said.contains("Default"), "\(directive): Deploy/dcrd.conf should say its default in words (\(first.line))")
            }
        }
    }

    @Test("an unknown directive is refused with its line and the list of known ones")
    func unknownDirective() {
        let bad = Self.portable(text) + "\ncommit-max-delay-ms 5\n"
        #expect {
            try ConfigurationFile.parse(bad, file: "dcrd.conf", readSecret: { _ in "0123456789abcdef0123" })
        } throws: { error in
            let e = error as? ConfigurationError
            return e?.line == text.split(separator: "\n", omittingEmptySubsequences: false).count + 1
                && e?.message.contains("unknown directive \"commit-max-delay-ms\"") == true
        }
    }
}
