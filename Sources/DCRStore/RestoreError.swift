/// Why `dcrd --restore` refused a file or could not put it in place. Each message says what to
/// do; in every case the store in the state directory is left as it was.
public enum RestoreError: Error, Sendable, Hashable, CustomStringConvertible {
    case damaged(file: String, String)
    case notAStore(file: String)
    case otherSchema(file: String, found: [String], expected: [String])
    case otherTimeZone(file: String, found: String, expected: String)
    case otherKey(file: String, found: String, expected: String)
    case daemonRunning(directory: String)
    case failed(String)

    public var description: String {
        switch self {
        case .damaged(let file, let why):
            "\(file) is damaged (integrity_check: \(why)); restore another backup"
        case .notAStore(let file):
            "\(file) is not a dcr event store (no events and meta tables)"
        case .otherSchema(let file, let found, let expected):
            "\(file) has schema [\(found.joined(separator: ", "))], this dcrd [\(expected.joined(separator: ", "))]; restore with the dcrd version that wrote it, or add --force to try anyway"
        case .otherTimeZone(let file, let found, let expected):
            "\(file) was made in time zone \(found), this dcrd runs in \(expected): its local dates and hours would not match new events; set time-zone \(found), or add --force to keep them as they are"
        case .otherKey(let file, let found, let expected):
            "\(file) was pseudonymised under the key with fingerprint \(found), the key in use has \(expected); give dcrd that key (pseudonym-key-file or the credential) to restore it"
        case .daemonRunning(let directory):
            "a dcrd is running on \(directory); stop it first (systemctl stop dcrd)"
        case .failed(let why):
            "restore failed: \(why); the store in the state directory is unchanged"
        }
    }
}
