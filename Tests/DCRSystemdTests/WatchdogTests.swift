import DCRSystemd
import Testing

/// Pacing with a short injected interval on the real clock. Assertions count ticks (observed
/// through probe runs) and compare times with generous margins; they never sleep for luck.
@Suite("Watchdog: pings only while every probe answers")
struct WatchdogTests {
    static let policy = WatchdogPolicy(interval: .milliseconds(200))

    func makeWatchdog(_ recorder: Recorder, policy: WatchdogPolicy = policy,
                      fault: StallFault = .none) -> Watchdog<ContinuousClock> {
        Watchdog(policy: policy, fault: fault, clock: ContinuousClock(),
                 ping: { recorder.ping() }, onHealthChange: { recorder.healthChanged($0) })
    }

    func counting(_ name: String, _ component: HealthProbe.Component, _ recorder: Recorder,
                  _ check: @escaping @Sendable () async -> Bool = { true }) -> HealthProbe {
        HealthProbe(name: name, component: component) {
            recorder.ran(name)
            return await check()
        }
    }

    @Test("healthy probes: a ping on every tick, none missed")
    func healthyNeverMisses() async {
        let recorder = Recorder()
        // 250 ms between ticks: room for a busy test machine, which must not cost a ping.
        let watchdog = makeWatchdog(recorder, policy: WatchdogPolicy(interval: .milliseconds(500)))
        watchdog.register(counting("loop-0", .eventLoop, recorder) {
            try? await Task.sleep(for: .milliseconds(1))  // an event loop answering a task
            return true
        })
        let beacon = ProgressBeacon()
        watchdog.register(.progress(name: "writer", beacon: beacon))
        let running = Task { await watchdog.run() }
        #expect(await waitUntil { recorder.runCount("loop-0") >= 8 })
        running.cancel()
        await running.value
        // Tick n pings before it starts run n+1: 8 runs mean at least 8 pings.
        #expect(recorder.pings.count >= 8)
        #expect(recorder.healthChanges.isEmpty)
    }

    @Test("DCRD_FAULT_STALL=event-loop: no ping once the first probe run was due")
    func stalledFromStart() async {
        let recorder = Recorder()
        let watchdog = makeWatchdog(recorder, fault: StallFault(stalled: [.eventLoop]))
        watchdog.register(counting("loop-0", .eventLoop, recorder))
        watchdog.register(counting("writer", .storeWriter, recorder))
        let running = Task { await watchdog.run() }
        #expect(await waitUntil { recorder.runCount("writer") >= 6 })
        running.cancel()
        await running.value
        #expect(recorder.runCount("loop-0") == 0, "a stalled probe is never really run")
        #expect(recorder.pings.count == 1, "only the first tick, before any probe was due, pings")
        #expect(recorder.healthChanges.first == ["loop-0"])
    }

    @Test("a stall mid-run stops the pings within one interval; they resume after it")
    func stallMidRun() async {
        let policy = WatchdogPolicy(interval: .seconds(1))
        let recorder = Recorder()
        let stalled = Flag(false)
        let watchdog = makeWatchdog(recorder, policy: policy)
        watchdog.register(counting("loop-0", .eventLoop, recorder) {
            while stalled.isSet { try? await Task.sleep(for: .milliseconds(5)) }  // hung
            return true
        })
        watchdog.register(counting("writer", .storeWriter, recorder))
        let running = Task { await watchdog.run() }
        #expect(await waitUntil { recorder.pings.count >= 3 })

        let stallStart = ContinuousClock.now
        stalled.set(true)
        let ticks = recorder.runCount("writer")
        #expect(await waitUntil { recorder.runCount("writer") >= ticks + 4 })
        let pingsAfterStall = recorder.pings.filter { $0 > stallStart }
        #expect(pingsAfterStall.count <= 1, "at most the tick judging runs started before the stall")
        for ping in pingsAfterStall {
            #expect(ping < stallStart + policy.interval, "last ping \(stallStart.duration(to: ping)) after the stall")
        }
        #expect(recorder.healthChanges.last == ["loop-0"])

        let pingsWhileStalled = recorder.pings.count
        stalled.set(false)
        #expect(await waitUntil { recorder.pings.count >= pingsWhileStalled + 2 })
        #expect(recorder.healthChanges.last == [])
        running.cancel()
        await running.value
    }

    @Test("a store writer with queued work must complete some of it between ticks")
    func writerWithoutProgress() async {
        let recorder = Recorder()
        let beacon = ProgressBeacon()
        let watchdog = makeWatchdog(recorder)
        watchdog.register(.progress(name: "writer", beacon: beacon))
        watchdog.register(counting("tick", .other, recorder))
        beacon.noteQueued(10)
        let running = Task { await watchdog.run() }
        #expect(await waitUntil { recorder.healthChanges.last == ["writer"] })
        let ticks = recorder.runCount("tick")
        let pings = recorder.pings.count
        #expect(await waitUntil { recorder.runCount("tick") >= ticks + 3 })
        #expect(recorder.pings.count == pings, "no pings while queued work does not move")

        beacon.noteCompleted(10)
        #expect(await waitUntil { recorder.pings.count > pings })
        running.cancel()
        await running.value
    }

    @Test("cancelling the loop stops it promptly, even with a hung probe")
    func cancellation() async {
        let recorder = Recorder()
        let watchdog = makeWatchdog(recorder, policy: WatchdogPolicy(interval: .seconds(60)),
                                    fault: StallFault(stalled: [.storeWriter]))
        watchdog.register(counting("writer", .storeWriter, recorder))
        let running = Task { await watchdog.run() }
        #expect(await waitUntil { recorder.pings.count == 1 })
        let start = ContinuousClock.now
        running.cancel()
        await running.value
        #expect(start.duration(to: .now) < .seconds(10))
    }
}

@Suite("Watchdog building blocks")
struct WatchdogPartsTests {
    @Test("ProgressBeacon: idle is healthy, stuck is not, progress is")
    func beacon() {
        let beacon = ProgressBeacon()
        #expect(beacon.checkProgress(), "nothing queued")
        beacon.noteQueued(3)
        #expect(!beacon.checkProgress(), "queued, nothing completed")
        beacon.noteCompleted(1)
        #expect(beacon.checkProgress(), "progress since the last check")
        #expect(!beacon.checkProgress(), "no progress since the last check")
        beacon.noteCompleted(5)
        #expect(beacon.checkProgress())
        #expect(beacon.checkProgress(), "over-completion clamps to idle")
    }

    @Test("ping interval is half of systemd's")
    func pingInterval() {
        #expect(WatchdogPolicy(interval: .seconds(10)).pingInterval == .seconds(5))
    }
}
