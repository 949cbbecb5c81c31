import DCRClient
import DCRModel
import DCRWire
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 4, acceptance 1 and 2: the real dcrd talks to a real notify socket, as it would to
/// systemd (`Type=notify`, `WatchdogSec=`).
@Suite("sd_notify and the watchdog, read from a real notify socket", .serialized)
struct SystemdNotifyTests {
    /// systemd's WatchdogSec for these tests; dcrd pings at half of it.
    static let watchdogUsec = 800_000
    static var watchdogInterval: Duration { .microseconds(watchdogUsec) }

    @Test("READY=1 after the replay, STATUS= follows traffic, WATCHDOG=1 at half the interval, STOPPING=1 on SIGTERM")
    func readinessStatusWatchdogStopping() async throws {
        let daemon = try DaemonProcess(configuration: "status-interval 1")
        defer { daemon.cleanUp() }

        // A store with something to replay.
        try await daemon.start()
        var factory = EventFactory(seed: 41)
        let stored = (0..<250).map { Request.Body.event(factory.event($0)) }
        let first = try await daemon.connect(role: .terminal)
        let acks = try await first.sendAll(stored)
        #expect(acks.allSatisfy { $0.body == .ack(duplicate: false) })
        await first.close()
        #expect(try await daemon.stop() == 0)

        let notify = try NotifySocket(directory: daemon.directory)
        defer { notify.stop() }
        daemon.extraEnvironment = ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": String(Self.watchdogUsec)]
        try daemon.launch()

        // READY=1 comes only once the replay is done: by the time it arrives, the replay's log
        // line (written before the notification) is there, with every stored event.
        let readyIndex = try await notify.waitForIndex(of: "READY", "1")
        let replayed = daemon.log.split(separator: "\n").first { $0.contains("replayed the store") }
        #expect(replayed?.contains("events=250") == true, "log at READY=1:\n\(daemon.log)")
        #expect(daemon.log.contains("serving inherited socket") == false)
        #expect(!notify.received[..<readyIndex].contains { $0.value("READY") != nil || $0.value("STATUS") != nil },
                "nothing is announced before READY=1")
        try await daemon.waitForLog(containing: "ready")

        // STATUS= right after READY=1, then a different one once traffic arrives.
        let statusIndex = try await notify.waitForIndex(of: "STATUS=", from: readyIndex) { $0.value("STATUS") != nil }
        let idle = try #require(notify.received[statusIndex].value("STATUS"))
        #expect(Self.numbers(idle) == .init(terminals: 0, lastMinute: 0), "\(idle)")
        #expect(idle.contains("booths H17 ") && idle.contains("/12"), "\(idle)")
        let trafficStarts = notify.received.count
        let terminal = try await daemon.connect(role: .terminal)
        let more = (250..<310).map { Request.Body.event(factory.event($0)) }
        #expect(try await terminal.sendAll(more).allSatisfy { $0.body == .ack(duplicate: false) })
        let busyIndex = try await notify.waitForIndex(of: "a STATUS= that shows the traffic", from: trafficStarts) { m in
            m.value("STATUS").flatMap(Self.numbers).map { $0.terminals == 1 && $0.lastMinute > 0 } ?? false
        }
        let busy = try #require(notify.received[busyIndex].value("STATUS"))
        #expect(busy != idle)

        // WATCHDOG=1 at half the interval: over several intervals, no gap reaches the interval
        // (that would be a missed ping, and systemd would kill the daemon), and the pace is the
        // half interval rather than something much faster.
        let pingsFrom = notify.received.count
        try await notify.wait(for: "9 watchdog pings") { _ in notify.watchdogPings(from: pingsFrom).count >= 9 }
        let pings = notify.watchdogPings(from: pingsFrom)
        #expect(longestGap(pings) < Self.watchdogInterval, "gaps: \(zip(pings, pings.dropFirst()).map { $1 - $0 })")
        let mean = (pings.last! - pings.first!) / (pings.count - 1)
        #expect(mean > Self.watchdogInterval * 0.4 && mean < Self.watchdogInterval * 0.6, "mean gap \(mean)")

        // SIGTERM: STOPPING=1, then a clean exit.
        await terminal.close()
        let beforeStop = notify.received.count
        daemon.signal(SIGTERM)
        try await notify.waitForIndex(of: "STOPPING", "1", from: beforeStop)
        #expect(try await daemon.waitForExit(timeout: .seconds(30)) == 0)
    }

    struct StatusNumbers: Equatable {
        let terminals: Int
        let lastMinute: Int
    }

    /// "3 terminals, 42 events in the last minute; booths …" → (3, 42).
    static func numbers(_ status: String) -> StatusNumbers? {
        let words = status.split(separator: " ")
        guard words.count > 3, words[1] == "terminals,", let t = Int(words[0]), let e = Int(words[2]) else { return nil }
        return StatusNumbers(terminals: t, lastMinute: e)
    }

    @Test("a stalled component stops the watchdog pings within one interval; healthy, none is missed",
          arguments: ["store-writer", "event-loop"])
    func stallStopsPings(part: String) async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        let notify = try NotifySocket(directory: daemon.directory)
        defer { notify.stop() }
        daemon.extraEnvironment = ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": String(Self.watchdogUsec),
                                   "DCRD_FAULT_STALL": part]
        try await daemon.start()

        // Healthy (the fault is armed but not triggered): several intervals without a miss.
        let from = try await notify.waitForIndex(of: "READY", "1")
        try await notify.wait(for: "8 watchdog pings") { _ in notify.watchdogPings(from: from).count >= 8 }
        let healthy = notify.watchdogPings(from: from)
        #expect(longestGap(healthy) < Self.watchdogInterval, "gaps: \(zip(healthy, healthy.dropFirst()).map { $1 - $0 })")

        // Stall it for real.
        let lines = daemon.log.split(separator: "\n").count
        let stalledAt = ContinuousClock.now
        daemon.signal(SIGUSR2)
        try await daemon.waitForLog(containing: "fault injection: stalling", after: lines)
        let unhealthy = try await daemon.waitForLog(containing: "unhealthy, withholding watchdog pings", after: lines)
        // The log line comes when the first ping is withheld; watch two more ping intervals of
        // silence (a window to observe an absence, not a wait for luck).
        let silenceFrom = ContinuousClock.now
        try await Task.sleep(for: Self.watchdogInterval)
        let all = notify.watchdogPings(from: from)
        let last = try #require(all.last)
        let slack: Duration = .milliseconds(200)
        #expect(last - stalledAt < Self.watchdogInterval + slack,
                "last ping \(last - stalledAt) after SIGUSR2; systemd would restart one WatchdogSec after it")
        #expect(!all.contains { $0 > silenceFrom }, "pings resumed while \(part) is stalled")
        #expect(unhealthy.contains(part == "event-loop" ? "event loop" : "store writer"), "\(unhealthy)")
    }
}
