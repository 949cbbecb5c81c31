#if canImport(Glibc)
import Glibc
#endif

/// A libsystemd call that failed, with the errno it returned, so that the daemon can say in its
/// log line which systemd interface let it down instead of a bare number.
public struct SystemdError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The libsystemd function, e.g. `sd_listen_fds_with_names`.
    public let operation: String
    /// The positive errno value (libsystemd returns it negated).
    public let errno: Int32

    public init(operation: String, errno: Int32) {
        self.operation = operation
        self.errno = errno
    }

    public var description: String {
        "\(operation): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
