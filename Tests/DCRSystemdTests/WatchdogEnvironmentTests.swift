import DCRSystemd
import Glibc
import Synchronization
import Testing

extension ProcessEnvironmentTests {
    @Suite("Watchdog settings from systemd's environment")
    struct WatchdogEnvironmentTests {
        @Test("WATCHDOG_USEC for this process gives the interval; pings at half of it")
        func policyFromEnvironment() async throws {
            try await EnvironmentOverride.with(["WATCHDOG_USEC": "200000", "WATCHDOG_PID": "\(getpid())"]) {
                let policy = try #require(try WatchdogPolicy.fromEnvironment())
                #expect(policy.interval == .milliseconds(200))
                #expect(policy.pingInterval == .milliseconds(100))
            }
        }

        @Test("no watchdog: unset, or meant for another process")
        func noPolicy() async throws {
            try await EnvironmentOverride.with(["WATCHDOG_USEC": nil, "WATCHDOG_PID": nil]) {
                let policy = try WatchdogPolicy.fromEnvironment()
                #expect(policy == nil)
            }
            try await EnvironmentOverride.with(["WATCHDOG_USEC": "200000", "WATCHDOG_PID": "\(getpid() + 1)"]) {
                let policy = try WatchdogPolicy.fromEnvironment()
                #expect(policy == nil)
            }
        }

        @Test("DCRD_FAULT_STALL names the components to stall; unknown names are reported")
        func stallFault() async {
            await EnvironmentOverride.with([StallFault.environmentVariable: "event-loop, store-writer,bogus"]) {
                let (fault, unknown) = StallFault.fromEnvironment()
                #expect(fault.stalled == [.eventLoop, .storeWriter])
                #expect(unknown == ["bogus"])
            }
            await EnvironmentOverride.with([StallFault.environmentVariable: nil]) {
                #expect(StallFault.fromEnvironment().fault == .none)
            }
        }

        @Test("WATCHDOG=1 reaches a real notify socket at half the interval, not faster")
        func pingsOnNotifySocket() async throws {
            let socket = try NotifySocket()
            let (first, more, elapsed) = await EnvironmentOverride.with(["NOTIFY_SOCKET": socket.path]) {
                let watchdog = Watchdog(policy: WatchdogPolicy(interval: .milliseconds(200)), notifier: SystemdNotifier())
                watchdog.register(HealthProbe(name: "always", component: .other) { true })
                let running = Task { await watchdog.run() }
                let first = await socket.receive()
                let start = ContinuousClock.now
                let more = await socket.receive(until: { $0.count == 4 }, within: .seconds(10))
                let elapsed = start.duration(to: .now)
                running.cancel()
                await running.value
                return (first, more, elapsed)
            }
            #expect(first == "WATCHDOG=1")
            #expect(more == Array(repeating: "WATCHDOG=1", count: 4))
            // Four more pings take four ping intervals (400 ms); allow for timer slack only.
            #expect(elapsed >= .milliseconds(350), "pinged faster than half the interval: \(elapsed)")
        }
    }
}
