import DCRModel

/// Why a conversation with the daemon failed, worded for the person at the terminal.
public enum ClientError: Error, Sendable, CustomStringConvertible {
    /// Nothing answers at the address (not running, wrong path or port).
    case unreachable(address: String, reason: String)
    /// The socket exists but this user may not connect to it.
    case permissionDenied(address: String, group: String?)
    /// The daemon answered the Hello with an error.
    case refused(StatusError)
    /// The connection closed before the answer came.
    case connectionClosed
    /// The daemon sent bytes that are not a response.
    case protocolViolation(String)
    /// A CA, certificate or key file given for TLS cannot be used.
    case badTLSFile(String)
    /// The TLS handshake failed: the daemon's certificate, or the daemon refused ours.
    case tlsFailed(address: String, reason: String)

    public var description: String {
        switch self {
        case .unreachable(let address, let reason):
            "cannot connect to \(address): \(reason); is dcrd running? (systemctl status dcrd)"
        case .permissionDenied(let address, let group):
            "permission denied on \(address)" + (group.map { "; join the group \($0) (usermod -aG \($0) $USER) and log in again" } ?? "")
        case .refused(let e):
            "the daemon refused: \(e.code): \(e.message)"
        case .connectionClosed:
            "the daemon closed the connection"
        case .protocolViolation(let what):
            "unexpected answer from the daemon: \(what)"
        case .badTLSFile(let what):
            what
        case .tlsFailed(let address, let reason):
            "TLS with \(address) failed: \(reason)"
        }
    }
}
