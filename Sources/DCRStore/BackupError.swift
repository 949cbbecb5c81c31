/// Why a backup was not written. Messages name the file and the rule, for the operator.
public enum BackupError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The destination is not usable as given (relative, no such directory).
    case badDestination(path: String, reason: String)
    /// A file is already there; a backup never replaces one.
    case exists(path: String)
    /// Copying, syncing, checking or renaming failed; nothing was left under the final name.
    case failed(path: String, reason: String)

    public var description: String {
        switch self {
        case .badDestination(let path, let reason): "backup to \(path): \(reason)"
        case .exists(let path): "backup to \(path): the file exists; a backup never replaces a file (choose a new name)"
        case .failed(let path, let reason): "backup to \(path) failed: \(reason); nothing was written under that name"
        }
    }
}
