/// The TLS listener's files and rules (`tls-*` directives).
///
/// The key may come as a systemd credential, like the pseudonym key: the unit's `LoadCredential=`
/// reads the root-only file for the daemon, and the credential wins over `tls-key` when present.
public struct TLSSettings: Sendable, Equatable {
    /// PEM: the server certificate, optionally followed by its intermediates.
    public var certificateFile: String?
    /// PEM: the server's private key, used when the credential is not passed.
    public var keyFile: String?
    /// Name of the systemd credential holding the key (`LoadCredential=`).
    public var keyCredential: String = "dcr-tls-key"
    /// PEM: the CA (or CAs) whose signature a terminal's certificate must carry.
    public var clientCAFile: String?
    /// Certificate names and the role each is granted.
    public var clients: [TLSClientRule] = []
    /// Days before the server certificate expires from which the daemon warns.
    public var expiryWarningDays: Int = 30

    public init() {}

    /// The rule for the first of a certificate's names that has one.
    public func client(named names: [String]) -> TLSClientRule? {
        for name in names { if let rule = clients.first(where: { $0.name == name }) { return rule } }
        return nil
    }
}
