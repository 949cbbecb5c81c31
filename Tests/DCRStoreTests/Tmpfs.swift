import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A small tmpfs mounted for one test, so the test can fill a disk for real.
/// Needs root (the test machine runs tests as root); tests that need it are skipped otherwise.
struct Tmpfs: Sendable {
    let directory: TempDirectory
    var path: String { directory.path }

    init(bytes: Int) throws {
        directory = try TempDirectory()
        #if os(Linux)
        guard mount("tmpfs", directory.path, "tmpfs", 0, "size=\(bytes),mode=0700") == 0 else {
            let code = errno
            directory.remove()
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EPERM)
        }
        #else
        directory.remove()
        throw POSIXError(.ENOTSUP)
        #endif
    }

    func unmount() {
        #if os(Linux)
        umount2(directory.path, Int32(MNT_DETACH))
        #endif
        directory.remove()
    }

    /// Whether this process may mount a tmpfs (tried once with a tiny one).
    static let available: Bool = {
        guard let probe = try? Tmpfs(bytes: 64 * 1024) else { return false }
        probe.unmount()
        return true
    }()
}
