import Foundation

/// Why a pseudonymisation key could not be loaded or created. Each message names the file and
/// the rule it breaks, so the operator can fix it without reading code; no message ever
/// contains key material or a client code.
public enum KeyError: Error, Sendable, Hashable, CustomStringConvertible {
    case wrongKeySize(source: String, bytes: Int)
    case notRegularFile(path: String)
    case tooOpen(path: String, mode: UInt32)
    case cannotRead(path: String, errno: Int32)
    case cannotCreate(path: String, errno: Int32)
    case noCredentialsDirectory(name: String)
    case invalidCredentialName(String)

    public var description: String {
        switch self {
        case .wrongKeySize(let source, let bytes):
            "pseudonymisation key \(source) is \(bytes) bytes; it must be exactly 32 random bytes (create one with: head -c 32 /dev/urandom > FILE; chmod 600 FILE)"
        case .notRegularFile(let path):
            "pseudonymisation key \(path) is not a regular file"
        case .tooOpen(let path, let mode):
            "pseudonymisation key \(path) has mode \(String(mode & 0o7777, radix: 8)); it must not be accessible by group or others (chmod 600 \(path))"
        case .cannotRead(let path, let code):
            "cannot read pseudonymisation key \(path): \(Self.text(code))"
        case .cannotCreate(let path, let code):
            "cannot create pseudonymisation key \(path): \(Self.text(code))"
        case .noCredentialsDirectory(let name):
            "credential \(name) requested but CREDENTIALS_DIRECTORY is not set (use LoadCredential=\(name):/path/to/key in the unit)"
        case .invalidCredentialName(let name):
            "credential name \"\(name)\" must be a plain file name"
        }
    }

    private static func text(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
