#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A child process started with `posix_spawn` and reaped with `waitpid(WNOHANG)` by its owner.
///
/// Why not Foundation's `Process`: on Linux it learns of a child's exit through a socket the child
/// inherits, then blocks in `waitpid` on that child. A child that closes every inherited
/// descriptor and lives on — `systemd-socket-activate` before it execs the daemon — leaves that
/// monitor thread blocked for good, and no other `Process` in the test run is reaped again.
/// Children here also start with no blocked signals and default signal actions, as from a shell,
/// whatever the test runner's threads block.
public final class ChildProcess: Sendable {
    public enum Output: Sendable {
        case null
        /// Appends to this file (created when absent).
        case file(String)
        /// This descriptor of the parent, duplicated into the child.
        case descriptor(Int32)
    }

    public let processIdentifier: pid_t
    private let exit = Mutex<Int32?>(nil)

    public init(executable: String, arguments: [String], environment: [String: String],
                stdout: Output = .null, stderr: Output = .null,
                newProcessGroup: Bool = false) throws(ChildProcessError) {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        for (fd, output) in [(Int32(1), stdout), (Int32(2), stderr)] {
            switch output {
            case .null: posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", O_WRONLY, 0)
            case .file(let path): posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
            case .descriptor(let d): posix_spawn_file_actions_adddup2(&actions, d, fd)
            }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var all = sigset_t()
        sigfillset(&all)
        sigdelset(&all, SIGKILL)
        sigdelset(&all, SIGSTOP)
        posix_spawnattr_setsigdefault(&attributes, &all)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        if newProcessGroup {
            posix_spawnattr_setpgroup(&attributes, 0)
            flags |= Int32(POSIX_SPAWN_SETPGROUP)
        }
        posix_spawnattr_setflags(&attributes, Int16(flags))

        let argv = [executable] + arguments
        let envp = environment.map { "\($0.key)=\($0.value)" }
        var cArgv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnv: [UnsafeMutablePointer<CChar>?] = envp.map { strdup($0) } + [nil]
        defer { for p in cArgv + cEnv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, &cArgv, &cEnv)
        guard rc == 0 else { throw ChildProcessError(executable: executable, errno: rc) }
        processIdentifier = pid
    }

    /// Reaps the child if it has exited; true while it runs.
    public var isRunning: Bool {
        exit.withLock { status in
            if status != nil { return false }
            var raw: Int32 = 0
            let r = waitpid(processIdentifier, &raw, WNOHANG)
            if r == processIdentifier {
                status = Self.decode(raw)
                return false
            }
            return r == 0
        }
    }

    /// The exit code, or 128 + the signal that ended it (as a shell reports it); -1 while running.
    public var terminationStatus: Int32 {
        _ = isRunning
        return exit.withLock { $0 } ?? -1
    }

    public func signal(_ sig: Int32) {
        if isRunning { kill(processIdentifier, sig) }
    }

    public func terminate() { signal(SIGTERM) }

    /// Signals the child's whole process group (a child started with `newProcessGroup`, and
    /// everything it started that stayed in its group: a script's background jobs).
    public func signalGroup(_ sig: Int32) {
        kill(-processIdentifier, sig)
    }

    /// Blocks until the child has exited (for clean-up paths; tests poll `isRunning` with a deadline).
    public func waitUntilExit() {
        exit.withLock { status in
            guard status == nil else { return }
            var raw: Int32 = 0
            while waitpid(processIdentifier, &raw, 0) == -1 && errno == EINTR {}
            status = Self.decode(raw)
        }
    }

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7F
        return signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
    }
}

public struct ChildProcessError: Error, CustomStringConvertible {
    public let executable: String
    public let errno: Int32
    public var description: String { "cannot start \(executable): \(String(cString: strerror(errno)))" }
}
