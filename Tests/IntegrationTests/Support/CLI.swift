import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// Polls `condition` until it gives a value or the deadline passes: tests wait for what they
/// expect to see, never for a fixed time.
func eventually<T>(_ what: @autoclosure () -> String, timeout: Duration = .seconds(20), every: Duration = .milliseconds(20),
                   _ condition: () async throws -> T?) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let v = try await condition() { return v }
        guard ContinuousClock.now < deadline else { throw HarnessError("timed out after \(timeout) waiting for \(what())") }
        try await Task.sleep(for: every)
    }
}

/// Text a child writes to a pipe, collected as it comes (a reader thread per pipe).
final class OutputCollector: Sendable {
    private let text = Mutex("")
    private let ended = Mutex(false)

    init(_ pipe: Pipe) {
        let handle = pipe.fileHandleForReading
        let thread = Thread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { ended.withLock { $0 = true }; break }
                let s = String(decoding: data, as: UTF8.self)
                text.withLock { $0 += s }
            }
        }
        thread.start()
    }

    var value: String { text.withLock { $0 } }
    /// The writer closed the pipe (it exited) and everything it wrote is in `value`.
    var finished: Bool { ended.withLock { $0 } }
    /// Complete lines so far (the last one only once its newline arrived).
    var lines: [String] {
        let v = value
        var parts = v.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        parts.removeLast()  // what follows the last newline: incomplete or empty
        return parts
    }
}

/// `dcrctl` as a child process with its stdout and stderr collected.
final class CLIProcess: @unchecked Sendable {
    let process = Process()
    let stdout: OutputCollector
    let stderr: OutputCollector

    /// - Parameter asUser: run with setpriv as this user and its group, without supplementary groups.
    init(_ arguments: [String], environment extra: [String: String] = [:], asUser: (user: String, group: String)? = nil) throws {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        for (k, v) in extra { env[k] = v }
        if let asUser {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=\(asUser.user)", "--regid=\(asUser.group)", "--clear-groups", "--", DaemonProcess.dcrctl] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: DaemonProcess.dcrctl)
            process.arguments = arguments
        }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        stdout = OutputCollector(out)
        stderr = OutputCollector(err)
        try process.run()
    }

    /// Runs to the end (with a deadline) and gives the exit status and what it wrote.
    static func run(_ arguments: [String], environment: [String: String] = [:], asUser: (user: String, group: String)? = nil,
                    timeout: Duration = .seconds(30)) async throws -> (status: Int32, out: String, err: String) {
        let p = try CLIProcess(arguments, environment: environment, asUser: asUser)
        let status = try await p.wait(timeout: timeout)
        // The pipes close when the child exits; give the reader threads their last bytes.
        _ = try await eventually("dcrctl's output to end", timeout: .seconds(10)) { p.stdout.finished && p.stderr.finished ? true : nil }
        return (status, p.stdout.value, p.stderr.value)
    }

    func wait(timeout: Duration) async throws -> Int32 {
        try await eventually("dcrctl \(process.arguments ?? []) to exit", timeout: timeout) {
            process.isRunning ? nil : process.terminationStatus
        }
    }

    func terminate() {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// A private tmux server (`tmux -L dcr-test-…`) with one session: a real terminal for `dcrctl top`.
final class TmuxTerminal: @unchecked Sendable {
    let socketName = "dcr-test-\(UUID().uuidString.prefix(8))"
    let session = "top"
    static let prompt = "dcr-test$"

    /// Starts `sh` (dash: it leaves the terminal's modes alone) with a recognisable prompt.
    init(columns: Int = 80, rows: Int = 24, environment: [String: String] = [:]) throws {
        var command = "env PS1='\(Self.prompt) '"
        for (k, v) in environment.sorted(by: { $0.key < $1.key }) { command += " \(k)='\(v)'" }
        command += " /bin/sh"
        // The server this starts stays behind with the client's descriptors: give it no pipe.
        try tmux(["new-session", "-d", "-s", session, "-x", "\(columns)", "-y", "\(rows)", command], output: false)
    }

    /// Runs one tmux client to its end. Not with Foundation's Process: its wait never returns
    /// after `new-session -d` (the forked server keeps the client's process group busy), so
    /// this spawns and reaps the client itself; output goes through a file, never a pipe the
    /// server could inherit and hold open.
    @discardableResult
    func tmux(_ arguments: [String], output: Bool = true) throws -> String {
        let outPath = NSTemporaryDirectory() + "\(socketName)-\(UUID().uuidString.prefix(8)).out"
        defer { unlink(outPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output ? outPath : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "TMUX")
        env.removeValue(forKey: "NO_COLOR")
        env["TERM"] = "xterm-256color"
        let argv = ["/usr/bin/tmux", "-L", socketName, "-f", "/dev/null"] + arguments
        let envp = env.map { "\($0.key)=\($0.value)" }
        var cArgv: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        var cEnv: [UnsafeMutablePointer<CChar>?] = envp.map { strdup($0) } + [nil]
        defer { for p in cArgv + cEnv { free(p) } }
        // A thread of this process blocks most signals; tmux (and the shell and dcrctl under it)
        // must start with none blocked and default actions, as from a login shell.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, argv[0], &actions, &attributes, &cArgv, &cEnv)
        guard rc == 0 else { throw HarnessError("cannot start tmux: \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else { throw HarnessError("tmux \(arguments) failed (wait status \(status))") }
        return output ? ((try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "") : ""
    }

    /// Types a line and presses Enter.
    func type(_ line: String) throws { try tmux(["send-keys", "-t", session, "-l", line]); try tmux(["send-keys", "-t", session, "Enter"]) }
    /// Presses keys by tmux's names ("q", "C-c").
    func press(_ key: String) throws { try tmux(["send-keys", "-t", session, key]) }
    /// The visible screen as text; with `escapes`, with attributes as SGR codes.
    func screen(escapes: Bool = false) throws -> String {
        try tmux(["capture-pane", "-p", "-t", session] + (escapes ? ["-e"] : []))
    }
    var lines: [String] { get throws { try screen().split(separator: "\n", omittingEmptySubsequences: false).map(String.init) } }
    func resize(columns: Int, rows: Int) throws {
        try tmux(["resize-window", "-t", session, "-x", "\(columns)", "-y", "\(rows)"])
    }

    func waitFor(_ what: String, timeout: Duration = .seconds(20), _ test: @escaping (String) -> Bool) async throws -> String {
        try await eventually("\(what) on the tmux screen", timeout: timeout) {
            let s = try screen()
            return test(s) ? s : nil
        }
    }

    func kill() {
        _ = try? tmux(["kill-server"])
        unlink("/tmp/tmux-\(getuid())/\(socketName)")
    }
    deinit { kill() }
}
