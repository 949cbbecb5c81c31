#if canImport(Glibc)
import Glibc
#endif

/// `dcrd --check-config`: everything a start would refuse, found before the start.
///
/// Parsing alone is not enough: under systemd the daemon runs as `User=dcr`, and a key or token
/// file that root can read but dcr cannot stops the service only after `systemctl start` has
/// already failed five times. So the check reads the file as the parser does and then asks, for
/// every file the configuration names, whether the user the daemon runs as may read (or create)
/// it. The daemon runs the same check on start and on reload, so `dcrctl reload` answers with the
/// same words.
public struct ConfigurationCheck: Sendable {
    public var user: RunAsUser
    /// `$CREDENTIALS_DIRECTORY`, where systemd puts `LoadCredential=` files; nil outside systemd.
    public var credentialsDirectory: String?
    /// Credentials as the unit's `LoadCredential=NAME:PATH` will pass them (`--credential`):
    /// systemd reads PATH as root, so the daemon's user need not be able to.
    public var loadCredentials: [String: String]

    public init(user: RunAsUser = .current(), credentialsDirectory: String? = Self.environmentCredentials(),
                loadCredentials: [String: String] = [:]) {
        self.user = user
        self.credentialsDirectory = credentialsDirectory
        self.loadCredentials = loadCredentials
    }

    public static func environmentCredentials() -> String? {
        guard let v = getenv("CREDENTIALS_DIRECTORY") else { return nil }
        let s = String(cString: v)
        return s.isEmpty ? nil : s
    }

    /// The parsed configuration with every file it names checked, or the first problem with its
    /// file, line and rule.
    public func load(path: String, base: DaemonConfiguration = DaemonConfiguration()) throws(ConfigurationError) -> DaemonConfiguration {
        let (configuration, text) = try parse(path: path, base: base)
        try checkFiles(configuration, text: text, file: path)
        return configuration
    }

    /// The file parsed (token files read as the daemon's user would), and its text, for
    /// `checkFiles` after command-line overrides.
    public func parse(path: String, base: DaemonConfiguration = DaemonConfiguration()) throws(ConfigurationError) -> (DaemonConfiguration, String) {
        guard let text = ConfigurationFile.readText(path) else {
            throw ConfigurationError(file: path, line: 0, message: "cannot read: \(String(cString: strerror(errno)))")
        }
        if let reason = user.denial(of: path, access: R_OK) {
            throw ConfigurationError(file: path, line: 0, message: "the daemon cannot read its configuration: \(reason)")
        }
        return (try ConfigurationFile.parse(text, file: path, base: base, readSecret: readSecret), text)
    }

    /// The files a parsed configuration names: the pseudonym key (or its credential) and the
    /// state directory. Token files were already read through `readSecret` while parsing.
    public func checkFiles(_ c: DaemonConfiguration, text: String = "", file: String = "dcrd.conf") throws(ConfigurationError) {
        func fail(_ keyword: String, _ message: String) -> ConfigurationError {
            ConfigurationError(file: file, line: Self.line(of: keyword, in: text), message: "\(keyword): \(message)")
        }
        if let key = credentialPath(c.pseudonymKeyCredential) {
            var info = stat()
            guard stat(key, &info) == 0, access(key, R_OK) == 0 else {
                throw fail("pseudonym-key-credential", "credential \(c.pseudonymKeyCredential): cannot read \(key): \(String(cString: strerror(errno)))")
            }
            guard info.st_size == 32 else {
                throw fail("pseudonym-key-credential", "credential \(c.pseudonymKeyCredential) (\(key)) must hold exactly 32 bytes, not \(info.st_size)")
            }
        } else {
            let key = c.effectivePseudonymKeyFile
            var info = stat()
            if stat(key, &info) == 0 {
                if let reason = user.denial(of: key, access: R_OK) {
                    throw fail("pseudonym-key-file", "\(reason); pass it as the systemd credential \(c.pseudonymKeyCredential) (LoadCredential=; check with --credential \(c.pseudonymKeyCredential):\(key)) or make it readable by \(user) alone")
                }
                guard UInt32(info.st_mode) & 0o077 == 0 else {
                    throw fail("pseudonym-key-file", "\(key) has mode \(String(UInt32(info.st_mode) & 0o7777, radix: 8)); it must not be accessible by group or others (chmod 600 \(key))")
                }
                guard info.st_size == 32 else {
                    throw fail("pseudonym-key-file", "\(key) is \(info.st_size) bytes; it must be exactly 32 random bytes")
                }
            } else if let reason = creatable(key) {
                throw fail("pseudonym-key-file", "\(key) does not exist and cannot be created: \(reason)")
            }
        }
        try checkListeners(c, fail)
        try checkForward(c, fail)
        var info = stat()
        if stat(c.stateDirectory, &info) == 0 {
            if let reason = user.denial(of: c.stateDirectory, access: R_OK | W_OK | X_OK) {
                throw fail("state-dir", reason)
            }
        } else if let reason = creatable(c.stateDirectory) {
            throw fail("state-dir", "\(c.stateDirectory) does not exist and cannot be created: \(reason)")
        }
    }

    /// Plain TCP stays on loopback unless the operator says otherwise; a `tls:` listener needs its
    /// certificate, key (file or credential) and client CA, each readable by the daemon's user.
    private func checkListeners(_ c: DaemonConfiguration, _ fail: (String, String) -> ConfigurationError) throws(ConfigurationError) {
        if !c.allowPlaintextTCP, let open = c.listen.first(where: { $0.isPlaintextOffLoopback }),
           case .tcp(let host, let port) = open {
            let tls = ListenAddress.tls(host: host, port: port)
            throw fail("listen", "\(open) would carry client codes and tokens in plain text over the network; listen on \(tls) instead (with tls-certificate, tls-key and tls-client-ca), keep tcp: on 127.0.0.1, or set allow-plaintext-tcp yes")
        }
        if let open = c.listen.first(where: { $0.isHTTPOffLoopback }),
           !c.tokens.contains(where: { $0.role == .monitor || $0.role == .admin }) {
            throw fail("listen", "\(open) would serve the metrics and the wall screen to anyone on the network; add a monitor token (token NAME monitor FILE: Prometheus and the screen send it as Authorization: Bearer), or listen on http:127.0.0.1:PORT")
        }
        guard c.listen.contains(where: \.isTLS) else { return }
        let files: [(String, String?)] = [
            ("tls-certificate", c.tls.certificateFile),
            ("tls-key", c.tls.keyFile),
            ("tls-client-ca", c.tls.clientCAFile),
        ]
        for (keyword, path) in files {
            if keyword == "tls-key" && credentialPath(c.tls.keyCredential) != nil { continue }
            guard let path else {
                throw fail(keyword, "a tls: listener needs \(keyword) FILE (PEM)" + (keyword == "tls-key" ? " or the systemd credential \(c.tls.keyCredential)" : ""))
            }
            guard access(path, F_OK) == 0 else { throw fail(keyword, "\(path): \(String(cString: strerror(errno)))") }
            if let reason = user.denial(of: path, access: R_OK) {
                let hint = keyword == "tls-key" ? "; pass it as the systemd credential \(c.tls.keyCredential) (LoadCredential=; check with --credential \(c.tls.keyCredential):\(path))" : ""
                throw fail(keyword, reason + hint)
            }
        }
        if c.tls.clients.isEmpty {
            throw fail("tls-client", "a tls: listener grants roles only to certificate names listed with tls-client NAME ROLE; none is configured")
        }
    }

    /// The forwarder's password file and CA, when named, must be readable by the daemon's user
    /// (the credential, when systemd passes it, replaces the file).
    private func checkForward(_ c: DaemonConfiguration, _ fail: (String, String) -> ConfigurationError) throws(ConfigurationError) {
        guard let f = c.forward else { return }
        let files: [(String, String?)] = [
            ("forward-password-file", credentialPath(f.passwordCredential) == nil ? f.passwordFile : nil),
            ("forward-ca", f.caFile),
        ]
        for (keyword, path) in files {
            guard let path else { continue }
            guard access(path, F_OK) == 0 else { throw fail(keyword, "\(path): \(String(cString: strerror(errno)))") }
            if let reason = user.denial(of: path, access: R_OK) {
                throw fail(keyword, reason + (keyword == "forward-password-file" ? "; or pass it as the systemd credential \(f.passwordCredential) (LoadCredential=)" : ""))
            }
        }
    }

    /// The forwarder's password: the credential when passed, else `forward-password-file`.
    public func forwardPasswordPath(_ c: DaemonConfiguration) -> String? {
        guard let f = c.forward else { return nil }
        return credentialPath(f.passwordCredential) ?? f.passwordFile
    }

    /// Where the TLS key is read from: the credential when passed, else `tls-key`.
    public func tlsKeyPath(_ c: DaemonConfiguration) -> String? {
        credentialPath(c.tls.keyCredential) ?? c.tls.keyFile
    }

    /// Token files, read as the parser reads them, but refused when the daemon's user could not.
    public func readSecret(_ path: String) -> String? {
        if user.denial(of: path, access: R_OK) != nil { return nil }
        return ConfigurationFile.readText(path)
    }

    private func credentialPath(_ name: String) -> String? {
        if let path = loadCredentials[name] { return path }
        guard let credentialsDirectory, !name.isEmpty, !name.contains("/") else { return nil }
        let path = credentialsDirectory + "/" + name
        return access(path, R_OK) == 0 ? path : nil
    }

    /// Nil when the nearest existing directory above `path` lets the user create entries.
    private func creatable(_ path: String) -> String? {
        var parent = path
        while true {
            guard let slash = parent.lastIndex(of: "/") else { parent = "."; break }
            parent = slash == parent.startIndex ? "/" : String(parent[..<slash])
            var info = stat()
            if stat(parent, &info) == 0 { break }
            if parent == "/" { break }
        }
        return user.denial(of: parent, access: W_OK | X_OK)
    }

    /// The last line that sets `keyword` (the one in force), or 0 when the default applies.
    static func line(of keyword: String, in text: String) -> Int {
        var found = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let words = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first?
                .split(whereSeparator: { $0 == " " || $0 == "\t" }) ?? []
            if words.first.map(String.init) == keyword { found = index + 1 }
        }
        return found
    }
}
