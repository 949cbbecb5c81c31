import DCRTestSupport
import Foundation

/// Real programs a test runs to the end: `dcrd` for one-shot modes (`--restore`), and the
/// `sqlite3` shell for reading a backup file exactly as an operator would.
enum ToolRun {
    /// Runs the real dcrd binary to the end; its two output streams and its exit status.
    static func dcrd(_ arguments: [String], environment extra: [String: String] = [:],
                     timeout: Duration = .seconds(60)) async throws -> (status: Int32, out: String, err: String) {
        try await run(DaemonProcess.dcrd, arguments, environment: extra, timeout: timeout)
    }

    /// `sqlite3 -readonly FILE SQL`'s standard output, trimmed; throws when it fails.
    static func sqlite3(_ file: String, _ sql: String) async throws -> String {
        let r = try await run("/usr/bin/sqlite3", ["-readonly", file, sql], timeout: .seconds(60))
        guard r.status == 0 else { throw HarnessError("sqlite3 \(file) \(sql): exit \(r.status): \(r.err)") }
        return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func run(_ executable: String, _ arguments: [String], environment extra: [String: String] = [:],
                    timeout: Duration) async throws -> (status: Int32, out: String, err: String) {
        let dir = NSTemporaryDirectory() + "dcr-tool-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var env = ProcessInfo.processInfo.environment
        for name in ["CREDENTIALS_DIRECTORY", "NOTIFY_SOCKET", "LISTEN_FDS", "LISTEN_PID"] { env.removeValue(forKey: name) }
        for (k, v) in extra { env[k] = v }
        let child = try ChildProcess(executable: executable, arguments: arguments, environment: env,
                                     stdout: .file(dir + "/out"), stderr: .file(dir + "/err"))
        let status = try await eventually("\(executable) \(arguments) to exit", timeout: timeout) {
            child.isRunning ? nil : child.terminationStatus
        }
        let read = { (name: String) in (try? String(contentsOfFile: dir + "/" + name, encoding: .utf8)) ?? "" }
        return (status, read("out"), read("err"))
    }
}
