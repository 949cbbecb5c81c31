import DCRClient
import DCRModel
import DCRWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 4, acceptance 4: SIGHUP re-reads the configuration without dropping a connection; a
/// broken file is refused and the old configuration stays in force.
@Suite("SIGHUP reload on the real dcrd", .serialized)
struct ReloadTests {
    @Test("a changed capacity shows in Load on a connection opened before; a broken file is refused and changes nothing")
    func reloadKeepsConnectionsAndRefusesBrokenFiles() async throws {
        let daemon = try DaemonProcess(configuration: "status-interval 1")
        defer { daemon.cleanUp() }
        let notify = try NotifySocket(directory: daemon.directory)
        defer { notify.stop() }
        daemon.extraEnvironment = ["NOTIFY_SOCKET": notify.path]
        try await daemon.start()
        let firstReady = try await notify.waitForIndex(of: "READY", "1")

        // Opened before any reload; both must stay open throughout.
        let monitor = try await daemon.connect(role: .monitor)
        let terminal = try await daemon.connect(role: .terminal, tcp: true)
        #expect(try await Self.capacity(monitor, "H17") == 12)
        let booth15 = Request.Body.event(.intake(Intake(
            header: EventHeader(id: .random(), site: "H17", occurredAtMs: DaemonProcess.testClockStartMs, booth: 15),
            client: .code(ClientCode("reload-client")), gender: .female, age: 33, substance: .heroin, route: .smoking)))
        #expect(try await terminal.send(booth15).error?.code == .invalidArgument, "booth 15 of 12")

        // A good change.
        try Self.edit(daemon.configPath, "site H17 12", "site H17 20")
        var lines = daemon.log.split(separator: "\n").count
        var before = notify.received.count
        let signalledAt = monotonicMicroseconds()
        daemon.signal(SIGHUP)
        let reloaded = try await daemon.waitForLog(containing: "configuration reloaded", after: lines)
        #expect(reloaded.contains("H17=20"), "\(reloaded)")
        let reloading = try await notify.waitForIndex(of: "RELOADING=1", from: before) { $0.has("RELOADING", "1") }
        let stamp = try #require(notify.received[reloading].value("MONOTONIC_USEC").flatMap(UInt64.init),
                                 "RELOADING=1 comes with MONOTONIC_USEC= in the same message: \(notify.received[reloading])")
        #expect(stamp >= signalledAt && stamp <= monotonicMicroseconds(), "MONOTONIC_USEC is CLOCK_MONOTONIC at the reload")
        try await notify.waitForIndex(of: "READY", "1", from: reloading + 1)
        #expect(reloading > firstReady)

        #expect(try await Self.capacity(monitor, "H17") == 20)
        #expect(try await terminal.send(booth15).body == .ack(duplicate: false), "booth 15 of 20")
        guard case .status(let ok) = try await monitor.send(.status).body else { Issue.record("no status"); return }
        #expect(ok.configState == "ok")

        // A broken file: refused with a clear line, the old configuration (20) stays in force.
        try Self.edit(daemon.configPath, "site H17 20", "site H17 abc")
        lines = daemon.log.split(separator: "\n").count
        before = notify.received.count
        daemon.signal(SIGHUP)
        let refused = try await daemon.waitForLog(containing: "reload refused", after: lines)
        #expect(refused.contains("the previous configuration stays in force"), "\(refused)")
        #expect(refused.contains(daemon.configPath) && refused.contains("abc"), "the refusal names the file and the bad value: \(refused)")
        let again = try await notify.waitForIndex(of: "RELOADING=1", from: before) { $0.has("RELOADING", "1") && $0.value("MONOTONIC_USEC") != nil }
        let readyAgain = try await notify.waitForIndex(of: "READY", "1", from: again + 1)
        let failedStatus = try await notify.waitForIndex(of: "a STATUS= that says the reload failed", from: readyAgain) {
            $0.value("STATUS")?.contains("reload failed") == true
        }
        #expect(failedStatus > again)

        #expect(try await Self.capacity(monitor, "H17") == 20)
        guard case .status(let failed) = try await monitor.send(.status).body else { Issue.record("no status"); return }
        #expect(failed.configState.hasPrefix("reload failed"), "\(failed.configState)")
        #expect(try await terminal.send(.ping(nonce: 7)).body == .pong(nonce: 7))
        #expect(try await monitor.send(.ping(nonce: 8)).body == .pong(nonce: 8))
        #expect(!daemon.log.contains("closing connection"), "a connection was dropped:\n\(daemon.log)")

        // Fixed again: back to "ok".
        try Self.edit(daemon.configPath, "site H17 abc", "site H17 20")
        lines = daemon.log.split(separator: "\n").count
        daemon.signal(SIGHUP)
        try await daemon.waitForLog(containing: "configuration reloaded", after: lines)
        guard case .status(let fixed) = try await monitor.send(.status).body else { Issue.record("no status"); return }
        #expect(fixed.configState == "ok")

        await terminal.close()
        await monitor.close()
        #expect(try await daemon.stop() == 0)
    }

    static func capacity(_ c: DaemonConnection, _ site: String) async throws -> UInt32? {
        guard case .load(let load) = try await c.send(.load(site: site)).body else { return nil }
        return load.sites.first { $0.site == site }?.capacity
    }

    /// Rewrites the file with one line replaced (atomically, as an editor or a package would).
    static func edit(_ path: String, _ old: String, _ new: String) throws {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        guard text.contains(old) else { throw HarnessError("\(path) has no line \"\(old)\"") }
        try text.replacingOccurrences(of: old, with: new).write(toFile: path, atomically: true, encoding: .utf8)
    }
}

/// CLOCK_MONOTONIC in microseconds: what systemd compares MONOTONIC_USEC= against.
func monotonicMicroseconds() -> UInt64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
}
