import DCRClient
import DCRTestSupport
import DCRModel
import DCRWire
import Foundation

/// The real `dcrd` binary, started in a temporary directory for one test.
///
/// It listens on a Unix socket in that directory and on a free TCP port on 127.0.0.1, runs on a
/// fixed test clock (`DCRD_TEST_CLOCK_START_MS`), and is ready when its log says so: tests wait
/// on that condition with a deadline, never on a fixed sleep.
final class DaemonProcess: @unchecked Sendable {
    /// Friday 2026-03-13 10:00 in Copenhagen (09:00Z): a fixed "now" for every test.
    static let testClockStartMs: Int64 = 1_773_392_400_000
    static let terminalToken = "integration-terminal-token-0123456789"
    static let monitorToken = "integration-monitor-token-0123456789"

    let directory: URL
    let socketPath: String
    let stateDirectory: String
    let configPath: String
    let logPath: String
    /// The pseudonym key: beside the state directory, never in it (key custody).
    var keyPath: String { directory.appendingPathComponent("pseudonym.key").path }
    var tcpPort: Int = 0
    /// The first `tls:` listener's port, once started (0: none).
    var tlsPort: Int = 0
    private(set) var process: ChildProcess?
    var extraEnvironment: [String: String] = [:]
    /// A command that runs dcrd (e.g. `systemd-socket-activate -l …`): its arguments come
    /// first, then dcrd's path and dcrd's own arguments. Empty: dcrd is started directly.
    var launcher: [String] = []

    /// The process id: dcrd's, or the launcher's, which becomes dcrd's when the launcher execs it.
    var pid: Int32? { process?.processIdentifier }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
    }

    static var binaryDirectory: URL {
        if let dir = ProcessInfo.processInfo.environment["DCR_BIN_DIR"] { return URL(fileURLWithPath: dir) }
        return repositoryRoot.appendingPathComponent(".build/debug")
    }

    static var dcrd: String { binaryDirectory.appendingPathComponent("dcrd").path }
    static var dcrctl: String { binaryDirectory.appendingPathComponent("dcrctl").path }

    /// False: no `pseudonym-key-file` line, so dcrd takes its default key location (set
    /// `XDG_CONFIG_HOME` in `extraEnvironment` to keep it in the test's directory).
    let configuresKey: Bool

    init(configuration extra: String = "", directory: URL? = nil, configuresKey: Bool = true) throws {
        self.configuresKey = configuresKey
        let dir = directory ?? URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("dcr-it-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        self.directory = dir
        socketPath = dir.appendingPathComponent("dcrd.sock").path
        stateDirectory = dir.appendingPathComponent("state").path
        configPath = dir.appendingPathComponent("dcrd.conf").path
        logPath = dir.appendingPathComponent("dcrd.log").path
        try writeConfiguration(extra)
    }

    func writeConfiguration(_ extra: String) throws {
        let terminalTokenFile = directory.appendingPathComponent("terminal.token").path
        let monitorTokenFile = directory.appendingPathComponent("monitor.token").path
        try Self.terminalToken.write(toFile: terminalTokenFile, atomically: true, encoding: .utf8)
        try Self.monitorToken.write(toFile: monitorTokenFile, atomically: true, encoding: .utf8)
        let text = """
            listen unix:\(socketPath)
            listen tcp:127.0.0.1:\(tcpPort)
            state-dir \(stateDirectory)
            \(configuresKey ? "pseudonym-key-file \(keyPath)" : "")
            site H17 12
            site SKYEN 6
            site MOBILE 2
            token it-terminal terminal \(terminalTokenFile)
            token it-monitor monitor \(monitorTokenFile)
            commit-max-delay-us 500
            \(extra)
            """
        try text.write(toFile: configPath, atomically: true, encoding: .utf8)
    }

    /// Starts dcrd and waits (with a deadline) until it logs "ready".
    func start(timeout: Duration = .seconds(30)) async throws {
        try launch()
        let ready = try await waitForLog(containing: "ready", timeout: timeout)
        if let range = ready.range(of: #"(?<!_)ports="?\[(\d+)"#, options: .regularExpression) {
            let digits = ready[range].filter(\.isNumber)
            tcpPort = Int(digits) ?? 0
        }
        if let range = ready.range(of: #"tls_ports="?\[(\d+)"#, options: .regularExpression) {
            tlsPort = Int(ready[range].filter(\.isNumber)) ?? 0
        }
        if tcpPort != 0 { try writeConfiguration(currentExtra) }
    }

    /// Starts dcrd (under `launcher`, if any) with a fresh log and returns at once, without
    /// waiting for "ready". systemd's variables are not inherited from the test's environment;
    /// tests set the ones they want in `extraEnvironment`.
    func launch() throws {
        try? FileManager.default.removeItem(atPath: logPath)
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let command = launcher + [Self.dcrd, "--config", configPath]
        var env = ProcessInfo.processInfo.environment
        env["DCRD_TEST_CLOCK_START_MS"] = String(Self.testClockStartMs)
        for name in ["NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "WATCHDOG_USEC", "WATCHDOG_PID",
                     "JOURNAL_STREAM", "DCRD_FAULT_STALL"] {
            env.removeValue(forKey: name)
        }
        for (k, v) in extraEnvironment { env[k] = v }
        // Not Foundation's Process: see ChildProcess for why (socket activation closes its fds).
        let p = try ChildProcess(executable: command[0], arguments: Array(command.dropFirst()), environment: env,
                                 stdout: .file(logPath), stderr: .file(logPath))
        process = p
    }

    private var currentExtra: String {
        (try? String(contentsOfFile: configPath, encoding: .utf8))?
            .split(separator: "\n").drop { !$0.hasPrefix("commit-max-delay-us") }.dropFirst()
            .joined(separator: "\n") ?? ""
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits until the log has a line containing `text`; returns that line.
    @discardableResult
    func waitForLog(containing text: String, after skip: Int = 0, timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let lines = log.split(separator: "\n").dropFirst(skip)
            if let line = lines.first(where: { $0.contains(text) }) { return String(line) }
            if let p = process, !p.isRunning {
                throw HarnessError("dcrd exited (status \(p.terminationStatus)) before logging \"\(text)\":\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        throw HarnessError("no \"\(text)\" in dcrd's log within \(timeout):\n\(log)")
    }

    func signal(_ sig: Int32) {
        if let p = process { kill(p.processIdentifier, sig) }
    }

    /// SIGTERM and wait for the exit status.
    @discardableResult
    func stop(timeout: Duration = .seconds(30)) async throws -> Int32 {
        guard let p = process else { return 0 }
        kill(p.processIdentifier, SIGTERM)
        return try await waitForExit(timeout: timeout)
    }

    func kill9() async throws {
        guard let p = process else { return }
        kill(p.processIdentifier, SIGKILL)
        _ = try await waitForExit(timeout: .seconds(30))
    }

    func waitForExit(timeout: Duration) async throws -> Int32 {
        guard let p = process else { return 0 }
        let deadline = ContinuousClock.now + timeout
        while p.isRunning {
            guard ContinuousClock.now < deadline else { throw HarnessError("dcrd did not exit within \(timeout)") }
            try await Task.sleep(for: .milliseconds(10))
        }
        process = nil
        return p.terminationStatus
    }

    func connect(role: Role = .terminal, tcp: Bool = false) async throws -> DaemonConnection {
        if tcp {
            let token = role == .terminal ? Self.terminalToken : Self.monitorToken
            return try await DaemonConnection.connect(to: .tcp(host: "127.0.0.1", port: tcpPort),
                                                      hello: Hello(clientName: "it", role: role, credential: token))
        }
        return try await DaemonConnection.connect(to: .unix(path: socketPath), hello: Hello(clientName: "it", role: role))
    }

    func cleanUp() {
        if let p = process, p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
        try? FileManager.default.removeItem(at: directory)
    }

    deinit { cleanUp() }
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
