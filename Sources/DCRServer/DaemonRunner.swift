import DCRConfig
import DCRForward
import DCRModel
import DCRStore
import DCRSystemd
import DCRWire
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs the daemon from start to clean stop, in the order systemd relies on: open the store,
/// replay it into the counters, bind (or adopt) every listener, and only then READY=1. On
/// SIGTERM: STOPPING=1, stop accepting, finish what is in flight, close the store, return.
public final class DaemonRunner: Service {
    public typealias ConfigurationLoader = @Sendable () throws -> DaemonConfiguration

    private let loadConfiguration: ConfigurationLoader
    let initial: DaemonConfiguration
    private let levelSwitch: LogLevelSwitch
    let logger: Logger
    private let version: String
    let clock: DaemonClock
    let notifier = SystemdNotifier()
    private let server = Mutex<DaemonServer?>(nil)

    public init(configuration: DaemonConfiguration, reload: @escaping ConfigurationLoader,
                levelSwitch: LogLevelSwitch, logger: Logger, version: String, clock: DaemonClock) {
        self.initial = configuration
        self.loadConfiguration = reload
        self.levelSwitch = levelSwitch
        self.logger = logger
        self.version = version
        self.clock = clock
    }

    public func run() async throws {
        let c = initial
        guard let calendar = LocalCalendar(identifier: c.timeZone) else {
            throw RunError("time-zone \(c.timeZone) is not known to this system")
        }
        try Self.makePrivateDirectory(c.stateDirectory)
        guard let stateLock = try StateLock.take(directory: c.stateDirectory) else {
            throw RunError("another dcrd is running on the state directory \(c.stateDirectory)")
        }
        defer { withExtendedLifetime(stateLock) {} }
        let (pseudonymizer, keySource) = try Self.openPseudonymizer(c, logger: logger)
        let watchdogPolicy = try? WatchdogPolicy.fromEnvironment()
        var settings = StoreSettings(maxBatch: c.commitMaxBatch, maxDelay: .microseconds(c.commitMaxDelayMicroseconds))
        // An idle writer must show progress several times per ping, or the watchdog's store
        // probe mistakes "idle" for "stuck" whenever WatchdogSec is short.
        if let pause = getenv("DCRD_FAULT_BACKUP_PAUSE_MS").flatMap({ Int(String(cString: $0)) }), pause > 0 {
            settings.backupPauseForTesting = .milliseconds(pause)
        }
        if let watchdogPolicy { settings.idleTick = max(.milliseconds(10), min(settings.idleTick, watchdogPolicy.pingInterval / 4)) }
        let store = try EventStore(directory: c.stateDirectory, calendar: calendar, logger: logger,
                                   settings: settings)
        do {
            try store.checkKeyFingerprint(pseudonymizer.fingerprint, keySource: keySource)
        } catch let mismatch as KeyMismatch {
            store.close()
            throw RunError(mismatch.description, exitCode: 78)
        } catch {
            store.close()
            throw error
        }
        let core = DaemonCore(configuration: c, calendar: calendar, log: store,
                              pseudonymize: { pseudonymizer.pseudonym(for: $0) }, clock: clock,
                              version: version, logger: logger)
        core.backups.setCopier { path in Result { () throws(BackupError) in try store.backup(to: path) } }
        core.applyAggregates(try store.retainedAggregates())
        core.setRetention(years: c.retainYears)
        core.setOldestRawEvent(try store.oldestRawDate())
        store.observeCommits { [metrics = core.metrics] in metrics.commit(duration: $0, events: $1) }
        let replay = try core.replay()
        core.metrics.replayed(duration: replay.duration)
        logger.notice("replayed the store", metadata: [
            "events": "\(replay.count)", "seconds": "\(replay.duration)", "path": "\(store.path)"])

        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let server = DaemonServer(core: core, group: group, logger: logger)
        self.server.withLock { $0 = server }
        do {
            let inherited = try InheritedSockets.take()
            if c.listen.contains(where: \.isTLS) || inherited.contains(where: { $0.name == "tls" }) {
                try useTLS(TLSMaterial.load(c.tls), warningDays: c.tls.expiryWarningDays, server: server, core: core)
            }
            if inherited.isEmpty {
                for address in c.listen { try await server.bind(address) }
            } else {
                for s in inherited { try await server.adopt(fd: s.fd, isUnix: s.family == .unix, name: s.name) }
            }
        } catch {
            store.close()
            try? await group.shutdownGracefully()
            throw error
        }
        if server.httpOffLoopback && !c.tokens.contains(where: { $0.role == .monitor || $0.role == .admin }) {
            await server.drain(timeout: .zero)
            store.close()
            try? await group.shutdownGracefully()
            throw RunError("an http listener is reachable from the network but no monitor token is configured: add token NAME monitor FILE (Prometheus and the wall screen send it as Authorization: Bearer), or keep the http socket on 127.0.0.1", exitCode: 78)
        }
        core.setTransport { $0.plaintextTCPOffLoopback = server.plaintextTCPOffLoopback }
        if server.plaintextTCPOffLoopback {
            logger.warning("plain tcp: is reachable from the network: client codes and tokens cross it unencrypted; use tls: (dcrd-tls.socket under systemd) and keep tcp: on loopback")
        }
        _ = notifier.ready()
        _ = notifier.status(core.statusLine())
        logger.notice("ready", metadata: ["version": "\(version)", "ports": "\(server.boundTCPPorts)",
                                          "tls_ports": "\(server.boundTLSPorts)", "http_ports": "\(server.boundHTTPPorts)"])
        core.setReloader { [self] in reload(core) }

        let parts = ServiceGroup(configuration: .init(
            services: services(store: store, core: core, server: server, loops: group,
                               calendar: calendar, watchdogPolicy: watchdogPolicy),
            logger: logger))
        do {
            try await parts.run()
        } catch {
            logger.error("a part of the daemon failed while stopping", metadata: ["error": "\(error)"])
            store.close()
        }
        try? await group.shutdownGracefully()
        logger.notice("stopped", metadata: ["stored": "\(store.statistics.totalStored)"])
    }

    /// Validates the whole file first; only a good one replaces the one in force. Used by SIGHUP
    /// and by an admin's `Reload` request; returns the refusal, if any.
    func reload(_ core: DaemonCore) -> StatusError? {
        _ = notifier.reloading()
        defer {
            _ = notifier.ready()
            _ = notifier.status(core.statusLine())
        }
        do {
            let new = try loadConfiguration()
            // Certificate and key first: a broken file refuses the whole reload, and the
            // material in force stays (established connections are never touched either way).
            if let server = server.withLock({ $0 }), server.tls != nil {
                try useTLS(TLSMaterial.load(new.tls), warningDays: new.tls.expiryWarningDays, server: server, core: core)
            }
            if let level = Logger.Level(rawValue: new.logLevel) { levelSwitch.level = level }
            if new.listen != core.configuration.listen || new.stateDirectory != core.configuration.stateDirectory {
                logger.warning("reload: listen addresses and state-dir change only on restart")
            }
            core.reload(new)
            logger.notice("configuration reloaded", metadata: ["sites": "\(new.sites.map { "\($0.code)=\($0.capacity)" })"])
            return nil
        } catch {
            core.reloadFailed("\(error)")
            logger.error("reload refused; the previous configuration stays in force", metadata: ["error": "\(error)"])
            return StatusError(.failedPrecondition, "reload refused, the previous configuration stays in force: \(error)")
        }
    }

    /// Puts TLS material in force, tells Status its expiry, and warns when it is near.
    private func useTLS(_ material: TLSMaterial, warningDays: Int, server: DaemonServer, core: DaemonCore) {
        server.useTLS(material)
        core.setTransport { $0.tlsCertificateExpiresMs = material.notAfterMs }
        let days = material.daysLeft(nowMs: core.clock.nowMs())
        let expires = UTCTimestamp.text(ms: material.notAfterMs)
        if material.notAfterMs <= core.clock.nowMs() {
            logger.error("the tls-certificate has expired: terminals will refuse it", metadata: ["expires": "\(expires)", "subject": "\(material.subject)"])
        } else if days < Int64(warningDays) {
            logger.warning("the tls-certificate expires in \(days) days: renew it and reload", metadata: ["expires": "\(expires)", "subject": "\(material.subject)"])
        } else {
            logger.info("tls certificate loaded", metadata: ["expires": "\(expires)", "subject": "\(material.subject)"])
        }
    }

    /// The forwarder's password: the systemd credential `dcr-forward-password` when passed, else
    /// `forward-password-file`, else none (trust or certificate authentication).
    static func forwardPassword(_ f: ForwardSettings) throws -> String? {
        let path = SystemdCredentials.fromEnvironment().path(of: f.passwordCredential) ?? f.passwordFile
        guard let path else { return nil }
        guard let text = ConfigurationFile.readText(path) else {
            throw RunError("forward-password-file \(path): \(String(cString: strerror(errno)))")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The systemd credential wins over `pseudonym-key-file` whenever systemd passes it: the unit's
    /// `LoadCredential=` reads the root-only file on the daemon's behalf, while the file itself
    /// stays unreadable to `User=dcr`. The file is for running outside systemd.
    ///
    /// With neither configured, the key lives outside the state directory
    /// (`DefaultPaths.pseudonymKeyFile`). A key left where older versions created it
    /// (`<state-dir>/pseudonym.key`) is refused with the command that moves it: used silently
    /// it would stay beside the data, and ignored it would split every client in two.
    /// Returns the pseudonymiser and where its key came from, for messages.
    static func openPseudonymizer(_ c: DaemonConfiguration, logger: Logger) throws -> (Pseudonymizer, String) {
        if SystemdCredentials.fromEnvironment().path(of: c.pseudonymKeyCredential) != nil {
            return (try Pseudonymizer.fromCredential(named: c.pseudonymKeyCredential),
                    "systemd credential \(c.pseudonymKeyCredential)")
        }
        let legacy = c.legacyPseudonymKeyFile
        if c.pseudonymKeyFile == nil, access(legacy, F_OK) == 0 {
            let target = c.effectivePseudonymKeyFile
            let folder = (target as NSString).deletingLastPathComponent
            throw RunError("the pseudonym key is inside the state directory (\(legacy)), where a copy of the "
                + "events would also copy the means to link them; move it out: mkdir -p -m 700 \(folder) && "
                + "mv \(legacy) \(target) (or set pseudonym-key-file)", exitCode: 78)
        }
        let path = c.effectivePseudonymKeyFile
        if path.hasPrefix(c.stateDirectory + "/") {
            logger.warning("pseudonym-key-file is inside the state directory: a copy of the state directory is then a copy of the key",
                           metadata: ["path": "\(path)"])
        }
        return (try Pseudonymizer.fromKeyFile(at: path), path)
    }

    /// `dcrd --restore FILE`: with the daemon stopped (its lock free), checks FILE against this
    /// configuration (time zone, schema, key fingerprint) and puts it in place of the store;
    /// the next start replays it. Throws `RestoreError` (exit 78 for a refusal).
    public static func restore(configuration c: DaemonConfiguration, file: String, force: Bool,
                               clock: DaemonClock, logger: Logger) throws -> StoreRestore.Outcome {
        try makePrivateDirectory(c.stateDirectory)
        guard let lock = try StateLock.take(directory: c.stateDirectory) else {
            throw RestoreError.daemonRunning(directory: c.stateDirectory)
        }
        return try withExtendedLifetime(lock) {
            let (pseudonymizer, _) = try openPseudonymizer(c, logger: logger)
            return try StoreRestore.restore(from: file, intoDirectory: c.stateDirectory, timeZone: c.timeZone,
                                            keyFingerprint: pseudonymizer.fingerprint, force: force,
                                            stamp: BackupSchedule.stamp(atMs: clock.nowMs()))
        }
    }

    static func makePrivateDirectory(_ path: String) throws {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw RunError("cannot create state directory \(current): \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// A reason the daemon cannot start, for one clear log line and a non-zero exit.
public struct RunError: Error, CustomStringConvertible {
    public let description: String
    /// The exit status `dcrd` ends with: 1 (cannot start), 78 (EX_CONFIG: the configuration,
    /// such as the key, does not fit the store).
    public let exitCode: Int32
    public init(_ description: String, exitCode: Int32 = 1) {
        self.description = description
        self.exitCode = exitCode
    }
}
