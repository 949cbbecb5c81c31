#if canImport(Glibc)
import Glibc
#endif

/// An exclusive `flock` on `<state-dir>/dcrd.lock`, held for the daemon's whole run, so that
/// `dcrd --restore` (and a second daemon) can tell that a dcrd is using the directory. The
/// kernel drops it when the process ends, even by SIGKILL: no stale lock to clean up.
public final class StateLock: Sendable {
    private let fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// The lock, or nil when another process holds it.
    public static func take(directory: String) throws -> StateLock? {
        let path = directory + "/dcrd.lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw RunError("cannot open \(path): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        return StateLock(fd: fd)
    }

    deinit { close(fd) }
}
