/// A listening socket handed over by systemd (socket activation), identified by the
/// `FileDescriptorName=` of its socket unit: Deploy/ uses "unix" (dcrd.socket) and "tcp"
/// (dcrd-tcp.socket). The family is checked on the descriptor itself, so a misconfigured unit
/// (a TCP port named "unix", a datagram socket) is caught at start rather than on first use.
public struct InheritedSocket: Sendable, Equatable {
    public enum Family: Sendable, Equatable {
        /// A listening `AF_UNIX` stream socket.
        case unix
        /// A listening TCP socket (IPv4 or IPv6).
        case tcp
        /// Anything else: datagram, not listening, another family. The daemon should refuse it.
        case other
    }

    public let fd: Int32
    /// `FileDescriptorName=`, or "unknown" when the socket unit sets none.
    public let name: String
    public let family: Family

    public init(fd: Int32, name: String, family: Family) {
        self.fd = fd
        self.name = name
        self.family = family
    }
}
