#if canImport(Glibc)
import Glibc
#endif

/// Credentials systemd passes with `LoadCredential=` (`$CREDENTIALS_DIRECTORY`), so that secrets
/// such as the pseudonym key can stay readable by root only on disk and reach the daemon in a
/// private, non-swappable directory that only its own user can read.
public struct SystemdCredentials: Sendable, Equatable {
    /// `$CREDENTIALS_DIRECTORY`, or nil when the daemon was started without credentials.
    public let directory: String?

    public init(directory: String?) {
        self.directory = directory
    }

    /// The credentials of this process.
    public static func fromEnvironment() -> SystemdCredentials {
        SystemdCredentials(directory: getenv("CREDENTIALS_DIRECTORY").map { String(cString: $0) })
    }

    /// The file holding credential `name` (e.g. "dcr-pseudonym-key"), if systemd passed it.
    public func path(of name: String) -> String? {
        guard let directory, !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            return nil
        }
        let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        return access(path, R_OK) == 0 ? path : nil
    }
}
