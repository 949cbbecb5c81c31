import DCRConfig
import DCRForward
import DCRModel
import DCRStore
import DCRSystemd
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import UnixSignals
#if canImport(Glibc)
import Glibc
#endif

/// What runs once the daemon is ready, each part a service of its own.
extension DaemonRunner {
    /// The running daemon as services (swift-service-lifecycle), in start order. A stop (SIGTERM,
    /// or the group this runner is part of) shuts them down one at a time in reverse: STOPPING=1
    /// first, then the background work, then the connections drain (their answers go out), and
    /// the store closes last, after its final commit. The watchdog keeps pinging until the
    /// connections have drained.
    ///
    /// Background parts end only at the stop: one that ends by itself is ignored rather than
    /// taking the daemon down with it.
    func services(store: EventStore, core: DaemonCore, server: DaemonServer,
                  loops: MultiThreadedEventLoopGroup, calendar: LocalCalendar,
                  watchdogPolicy: WatchdogPolicy?) -> [ServiceGroupConfiguration.ServiceConfiguration] {
        let c = initial
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        func add(_ name: String, untilStop body: @escaping @Sendable () async -> Void) {
            services.append(.init(service: ClosureService { await cancelWhenGracefulShutdown(body) },
                                  successTerminationBehavior: .ignore, serviceName: name))
        }
        func add(_ name: String, atStop body: @escaping @Sendable () async -> Void) {
            services.append(.init(service: ClosureService {
                try? await gracefulShutdown()
                await body()
            }, serviceName: name))
        }
        add("event store", atStop: { store.close() })
        if let policy = watchdogPolicy {
            let watchdog = Watchdog(policy: policy, notifier: notifier) { [logger] failing in
                if failing.isEmpty { logger.notice("healthy again: watchdog pings resume") }
                else { logger.error("unhealthy, withholding watchdog pings", metadata: ["failing": "\(failing)"]) }
            }
            for (i, loop) in loops.makeIterator().enumerated() {
                watchdog.register(HealthProbe(name: "event loop \(i)", component: .eventLoop) {
                    (try? await loop.submit { true }.get()) ?? false
                })
            }
            // Progress within one ping interval: a stalled writer then costs the next ping
            // at the latest, so systemd restarts within one WatchdogSec of the stall.
            watchdog.register(HealthProbe(name: "store writer", component: .storeWriter) {
                ContinuousClock.now - store.statistics.lastProgress < policy.pingInterval
            })
            add("watchdog", untilStop: { await watchdog.run() })
        }
        add("connections", atStop: { await server.drain(timeout: .seconds(10)) })
        add("status reporter", untilStop: { await self.refreshStatus(core) })
        add("reload on SIGHUP", untilStop: { await self.handleReloads(core) })
        let (fault, _) = StallFault.fromEnvironment()
        if !fault.stalled.isEmpty {
            add("fault injection", untilStop: { await self.handleFaults(fault, group: loops, store: store) })
        }
        if c.retainYears > 0 {
            let keeper = RetentionKeeper(store: store, core: core, calendar: calendar, years: c.retainYears,
                                         batch: c.retentionBatch, pause: .milliseconds(c.retentionPauseMs),
                                         interval: .seconds(c.retentionIntervalSeconds), logger: logger)
            add("retention", untilStop: { await keeper.run() })
        }
        if let settings = c.forward {
            do {
                let forwarder = try Forwarder(settings: settings, store: store, password: try Self.forwardPassword(settings),
                                              source: settings.source ?? c.sites.map(\.code).joined(separator: "+"),
                                              logger: logger, nowMs: { [clock = self.clock] in clock.nowMs() })
                core.setForwarder(forwarder)
                add("forward", untilStop: { await forwarder.run() })
            } catch {
                logger.error("forward: cannot set up the forwarder (\(error)); events are stored and acknowledged as always, and not forwarded until this is fixed and dcrd restarted",
                             metadata: ["target": "\(settings.target)"])
            }
        }
        if let directory = c.backupDirectory {
            let schedule = BackupSchedule(directory: directory, every: .seconds(c.backupEverySeconds), keep: c.backupKeep)
            add("scheduled backups", untilStop: { [clock = self.clock, logger = self.logger] in
                await schedule.run(desk: core.backups, clock: clock, logger: logger)
            })
        }
        add("stop announcement", atStop: { [notifier, logger] in
            _ = notifier.stopping()
            logger.notice("stopping: finishing requests in flight")
        })
        return services
    }

    private func refreshStatus(_ core: DaemonCore) async {
        let interval = initial.statusIntervalSeconds
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(interval))
            if Task.isCancelled { return }
            _ = notifier.status(core.statusLine())
        }
    }

    /// SIGHUP: validate the whole file first; only a good one replaces the one in force.
    private func handleReloads(_ core: DaemonCore) async {
        for await _ in await UnixSignalsSequence(trapping: .sighup) { _ = reload(core) }
    }

    /// For tests only: `DCRD_FAULT_STALL=event-loop|store-writer` plus SIGUSR2 stalls that part
    /// for real, so the watchdog's pings must stop.
    private func handleFaults(_ fault: StallFault, group: MultiThreadedEventLoopGroup, store: EventStore) async {
        for await _ in await UnixSignalsSequence(trapping: .sigusr2) {
            logger.warning("fault injection: stalling", metadata: ["parts": "\(fault.stalled.map(\.rawValue))"])
            if fault.stalled.contains(.storeWriter) { store.setWriterStalledForTesting(true) }
            if fault.stalled.contains(.eventLoop) {
                group.next().execute { while true { sleep(3600) } }
            }
        }
    }
}
