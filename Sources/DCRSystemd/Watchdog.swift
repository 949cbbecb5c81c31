import Synchronization

/// Sends `WATCHDOG=1` at half of systemd's interval, but only while every registered health probe
/// answers, so that systemd restarts a daemon that is hung rather than one that is merely alive
/// enough to run a timer.
///
/// The loop runs on Swift concurrency (`Clock.sleep`), not on the daemon's event loops: a stalled
/// event loop must not be able to stall the judge of event loops. Each tick evaluates the probe
/// runs started at the previous tick (each had a whole ping interval to answer), pings if all were
/// healthy, and starts the next runs. When a component stalls, the last ping is therefore sent at
/// most one ping interval later, well within systemd's interval.
public final class Watchdog<C: Clock>: Sendable where C.Duration == Duration {
    private struct Slot {
        let probe: HealthProbe
        var running = false
        var started = false
        var lastTick: UInt64 = 0
        var lastHealthy = false
    }

    private struct State {
        var slots: [Slot] = []
        var runs: [Int: Task<Void, Never>] = [:]
        var failing: [String] = []
    }

    private let policy: WatchdogPolicy
    private let fault: StallFault
    private let clock: C
    private let ping: @Sendable () -> Void
    private let onHealthChange: @Sendable (_ failingProbes: [String]) -> Void
    private let state = Mutex(State())

    /// - Parameters:
    ///   - fault: probes of these components hang instead of running (tests only, see `StallFault`).
    ///   - ping: sends the sign of life; `SystemdNotifier.watchdog()` in the daemon.
    ///   - onHealthChange: called with the names of the failing probes whenever that set changes
    ///     (empty when health returns), so that the daemon can say in its log why pings stopped.
    public init(policy: WatchdogPolicy, fault: StallFault = .none, clock: C,
                ping: @escaping @Sendable () -> Void,
                onHealthChange: @escaping @Sendable (_ failingProbes: [String]) -> Void = { _ in }) {
        self.policy = policy
        self.fault = fault
        self.clock = clock
        self.ping = ping
        self.onHealthChange = onHealthChange
    }

    /// Adds a probe; it takes part from the next tick on.
    public func register(_ probe: HealthProbe) {
        state.withLock { $0.slots.append(Slot(probe: probe)) }
    }

    /// Runs until the surrounding task is cancelled (on shutdown, after `STOPPING=1`).
    public func run() async {
        var tick: UInt64 = 0
        var next = clock.now
        while !Task.isCancelled {
            if evaluate(tick: tick) { ping() }
            startProbes(tick: tick)
            next = next.advanced(by: policy.pingInterval)
            let now = clock.now
            // Behind schedule (the process was suspended or starved): give the probes just started
            // a whole interval rather than judging them at once and skipping a ping for nothing.
            if next < now { next = now.advanced(by: policy.pingInterval) }
            do {
                try await clock.sleep(until: next, tolerance: nil)
            } catch {
                break
            }
            tick += 1
        }
        let runs = state.withLock { state in
            defer { state.runs = [:] }
            return Array(state.runs.values)
        }
        for run in runs { run.cancel() }
    }

    /// Whether every probe answered healthy to the run started at the previous tick. A probe that
    /// has never been started (registered since) is not held against the daemon.
    private func evaluate(tick: UInt64) -> Bool {
        let (healthy, changed, failing) = state.withLock { state in
            var failing: [String] = []
            for slot in state.slots where slot.started {
                let answered = !slot.running && slot.lastTick + 1 == tick && slot.lastHealthy
                if !answered { failing.append(slot.probe.name) }
            }
            let changed = failing != state.failing
            state.failing = failing
            return (failing.isEmpty, changed, failing)
        }
        if changed { onHealthChange(failing) }
        return healthy
    }

    private func startProbes(tick: UInt64) {
        state.withLock { state in
            for index in state.slots.indices where !state.slots[index].running {
                state.slots[index].running = true
                state.slots[index].started = true
                let probe = state.slots[index].probe
                let stalled = fault.stalled.contains(probe.component)
                state.runs[index] = Task { [weak self] in
                    let healthy = stalled ? await Self.hang() : await probe.check()
                    self?.finish(index: index, tick: tick, healthy: healthy)
                }
            }
        }
    }

    private func finish(index: Int, tick: UInt64, healthy: Bool) {
        state.withLock { state in
            state.slots[index].running = false
            state.slots[index].lastTick = tick
            state.slots[index].lastHealthy = healthy
            state.runs[index] = nil
        }
    }

    /// What a stalled component looks like from outside: no answer, until the watchdog stops.
    private static func hang() async -> Bool {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        return false
    }
}

extension Watchdog where C == ContinuousClock {
    /// The daemon's watchdog: systemd's policy, pings through `notifier`.
    public convenience init(policy: WatchdogPolicy, notifier: SystemdNotifier, fault: StallFault = .none,
                            onHealthChange: @escaping @Sendable (_ failingProbes: [String]) -> Void = { _ in }) {
        self.init(policy: policy, fault: fault, clock: ContinuousClock(), ping: { notifier.watchdog() },
                  onHealthChange: onHealthChange)
    }
}
