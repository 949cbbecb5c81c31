import DCRClient
import DCRModel
import DCRWire
import Foundation

/// The real `dcrctl`, run as a subprocess against a test daemon's socket.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stdout parsed as one JSON object.
    func json() throws -> [String: Any] {
        guard let o = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
            throw HarnessError("not a JSON object: \(stdout)")
        }
        return o
    }
}

extension DaemonProcess {
    /// Runs `dcrctl ARGS --socket <this daemon's socket>` and waits for it (with a deadline).
    func dcrctl(_ arguments: [String], environment extra: [String: String] = [:],
                timeout: Duration = .seconds(120)) async throws -> CLIResult {
        try await Self.runDcrctl(arguments + ["--socket", socketPath], environment: extra, timeout: timeout)
    }

    /// Runs dcrctl with a deadline; output goes to files, so no pipe can fill up and block it.
    static func runDcrctl(_ arguments: [String], environment extra: [String: String] = [:],
                          timeout: Duration = .seconds(30)) async throws -> CLIResult {
        let dir = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dcrctl-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.dcrctl)
        p.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        for (k, v) in extra { env[k] = v }
        p.environment = env
        let out = dir.appendingPathComponent("stdout"), err = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        let deadline = ContinuousClock.now + timeout
        while p.isRunning {
            guard ContinuousClock.now < deadline else {
                p.terminate()
                p.waitUntilExit()
                throw HarnessError("dcrctl \(arguments.joined(separator: " ")) did not exit within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        return CLIResult(status: p.terminationStatus,
                         stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// Sends events as a terminal, pipelined in batches; every one must be acknowledged as new.
    func sendAll(_ events: [Event], batch: Int = 512) async throws {
        let c = try await connect(role: .terminal)
        defer { Task { await c.close() } }
        var start = 0
        while start < events.count {
            let slice = Array(events[start..<min(start + batch, events.count)])
            let answers = try await c.sendAll(slice.map { .event($0) })
            for (e, a) in zip(slice, answers) where a.body != .ack(duplicate: false) {
                throw HarnessError("event \(e.id) at \(e.header.occurredAtMs) not stored: \(a)")
            }
            start += batch
        }
    }
}
