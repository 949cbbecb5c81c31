import ArgumentParser
import DCRConfig
import DCRModel
import DCRServer
import DCRStore
import DCRSystemd
import Logging
import ServiceLifecycle
#if canImport(Glibc)
import Glibc
#endif

/// The daemon's command line: read the configuration, set up logging, hand over to `DaemonRunner`.
@main
struct Dcrd: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "dcrd",
        abstract: "The dcr daemon: receives booth terminals' events, stores them, counts them.",
        discussion: """
            dcrd listens for booth terminals and for dcrctl on Unix, TLS and TCP sockets (or on sockets \
            inherited from systemd), stores every event durably in the state directory before it \
            acknowledges it, and keeps live counters and the whole history in memory for instant \
            answers.

            Without --config it reads \(DefaultPaths.configFile) (or $DCR_CONFIG) when that file \
            exists, and otherwise runs on its embedded defaults: sites H17 (12 booths), SKYEN (6) and \
            MOBILE (2), listening on unix:\(DefaultPaths.socketPath) and tcp:127.0.0.1:\(DefaultPaths.tcpPort). \
            Options given here override the file. SIGHUP re-reads the file; SIGTERM stops cleanly.

            Terminals on the room's network use tls:HOST:PORT with mutual TLS: tls-certificate, \
            tls-key (or the systemd credential dcr-tls-key) and tls-client-ca name PEM files, and \
            tls-client NAME ROLE maps a client certificate's CN or DNS SAN to a role. Plain tcp: on \
            an address other than loopback is refused at start (exit 78) unless the file says \
            allow-plaintext-tcp yes. SIGHUP also re-reads the certificate and key; established \
            connections are kept, and a broken file is refused with the old ones left in force.

            http:HOST:PORT (off by default; dcrd-http.socket under systemd) serves read-only HTTP: \
            /metrics in the Prometheus text format and / the rooms' live wall screen. On an address \
            other than loopback it needs a monitor token (token NAME monitor FILE), sent as \
            Authorization: Bearer; without one the start is refused (exit 78).

            forward postgres://USER@HOST[:PORT]/DATABASE?sslmode=verify-full (off by default) copies \
            every stored event, in store order and exactly once, to a central PostgreSQL (the table \
            of Deploy/postgres/schema.sql); the password comes from the systemd credential \
            dcr-forward-password or forward-password-file. A slow or absent server never delays a \
            terminal: events wait in the local store, and dcrctl forward --status shows the lag.

            The pseudonym key lives outside the state directory (default \(DefaultPaths.pseudonymKeyFile) \
            here, or the systemd credential dcr-pseudonym-key); the store records its fingerprint and \
            a start with another key is refused.

            Exit status: 0 after a clean stop, 78 (EX_CONFIG) for a configuration error or a \
            pseudonym key that does not fit the store, 1 when the daemon cannot start (state \
            directory, store or socket unusable).
            """,
        version: version)

    @Option(name: .long, help: ArgumentHelp("Configuration file.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Listen on unix:PATH, tls:HOST:PORT, tcp:HOST:PORT or http:HOST:PORT (repeatable; replaces the configured list).", valueName: "address"))
    var listen: [String] = []

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("Where the event store lives (the pseudonym key lives elsewhere: see below).", valueName: "path"))
    var stateDir: String?

    @Option(name: .customLong("time-zone"), help: ArgumentHelp("Time zone for dates, hours and weekdays.", valueName: "zone"))
    var timeZone: String?

    @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: String?

    @Flag(name: .customLong("check-config"), help: ArgumentHelp(
        "Check the configuration file (FILE, else --config, else the default) and exit: 0 when a start would accept it, 78 with the line and the rule when not.",
        discussion: "Besides the syntax it checks that the pseudonym key (or its systemd credential), the token files, the TLS certificate, key and client CA, and the state directory are usable by the user the daemon runs as. dcrd.service runs it as ExecStartPre=."))
    var checkConfig = false

    @Option(name: .customLong("user"), help: ArgumentHelp("With --check-config: check file access as this user (default: the user running the check). Root passes every access check, so check as the daemon's user.", valueName: "name"))
    var user: String?

    @Option(name: .customLong("credential"), help: ArgumentHelp("With --check-config: a credential as the unit's LoadCredential=NAME:PATH passes it (repeatable), e.g. dcr-pseudonym-key:/etc/dcr/pseudonym.key.", valueName: "name:path"))
    var credential: [String] = []

    @Option(name: .customLong("restore"), help: ArgumentHelp(
        "Restore the event store from a backup (dcrctl backup) and exit; dcrd must be stopped.",
        discussion: "The file is copied into the state directory and checked there (integrity, schema, time zone, pseudonym key fingerprint) before it replaces events.sqlite, which is kept as events.sqlite.replaced-STAMP. The next start replays it. Exit 0 when restored, 78 when refused (the message says why and what to do), 1 when it could not be done.",
        valueName: "file"))
    var restore: String?

    @Flag(name: .long, help: ArgumentHelp("With --restore: accept a backup made in another time zone or with another schema."))
    var force = false

    @Argument(help: ArgumentHelp("With --check-config: the file to check.", valueName: "file"))
    var checkFile: String?

    func validate() throws {
        for l in listen where ListenAddress(parsing: l) == nil {
            throw ValidationError("--listen \(l): expected unix:PATH, tls:HOST:PORT, tcp:HOST:PORT or http:HOST:PORT")
        }
        if checkFile != nil && !checkConfig { throw ValidationError("a FILE argument goes with --check-config (to run on a file, use --config FILE)") }
        if user != nil && !checkConfig { throw ValidationError("--user goes with --check-config (under systemd the unit's User= decides)") }
        if !credential.isEmpty && !checkConfig { throw ValidationError("--credential goes with --check-config (under systemd the unit's LoadCredential= passes them)") }
        for c in credential where !c.contains(":") || c.hasPrefix(":") || c.hasSuffix(":") {
            throw ValidationError("--credential \(c): expected NAME:PATH, as in LoadCredential=")
        }
        if force && restore == nil { throw ValidationError("--force goes with --restore") }
        if restore != nil && checkConfig { throw ValidationError("--restore and --check-config are separate runs") }
        if let user, RunAsUser.named(user) == nil { throw ValidationError("--user \(user): no such user") }
    }

    /// The file (if any) plus this command line's overrides, checked as `--check-config` checks;
    /// used at start and on every SIGHUP or `dcrctl reload`, so all three refuse the same things.
    func loadConfiguration() throws -> DaemonConfiguration {
        var loads: [String: String] = [:]
        for c in credential {
            let parts = c.split(separator: ":", maxSplits: 1)
            loads[String(parts[0])] = String(parts[1])
        }
        let check = ConfigurationCheck(user: user.flatMap(RunAsUser.named) ?? .current(), loadCredentials: loads)
        var c = DaemonConfiguration()
        var text = ""
        let path = checkFile ?? config ?? DefaultPaths.configFileInUse
        if checkFile != nil || config != nil || access(path, F_OK) == 0 {
            (c, text) = try check.parse(path: path)
        }
        if !listen.isEmpty { c.listen = listen.compactMap(ListenAddress.init(parsing:)) }
        if let stateDir { c.stateDirectory = stateDir }
        if let timeZone {
            guard LocalCalendar(identifier: timeZone) != nil else {
                throw ConfigurationError(file: "--time-zone", line: 0, message: "\"\(timeZone)\" is not a time zone this system knows")
            }
            c.timeZone = timeZone
        }
        if let logLevel {
            guard Logger.Level(rawValue: logLevel) != nil else {
                throw ConfigurationError(file: "--log-level", line: 0, message: "\"\(logLevel)\" is not a log level")
            }
            c.logLevel = logLevel
        }
        try check.checkFiles(c, text: text, file: path)
        return c
    }

    /// `--check-config`: one line on standard output when good, one on standard error when not.
    private func runCheck() throws {
        let path = checkFile ?? config ?? DefaultPaths.configFileInUse
        do {
            let c = try loadConfiguration()
            let who = user ?? RunAsUser.current().name
            print("dcrd: \(access(path, F_OK) == 0 ? path : "the embedded defaults") is valid: \(c.sites.count) sites, \(c.tokens.count) tokens, \(c.listen.count) listeners; files usable by user \(who)")
        } catch {
            FileHandleStderr.write("dcrd: \(error)\n")
            throw ExitCode(78)
        }
    }

    func run() async throws {
        if checkConfig { return try runCheck() }
        let initial: DaemonConfiguration
        do {
            initial = try loadConfiguration()
        } catch {
            FileHandleStderr.write("dcrd: \(error)\n")
            throw ExitCode(78)
        }
        let levelSwitch = LogLevelSwitch(Logger.Level(rawValue: initial.logLevel) ?? .info)
        LoggingSystem.bootstrap(JournalLogHandler.factory(level: levelSwitch))
        let logger = Logger(label: "dcrd")
        let clockStart = getenv("DCRD_TEST_CLOCK_START_MS").flatMap { Int64(String(cString: $0)) }
        if let restore { return try runRestore(restore, initial, clock: DaemonClock(startingAtMs: clockStart), logger: logger) }
        let command = self
        let runner = DaemonRunner(configuration: initial, reload: { try command.loadConfiguration() },
                                  levelSwitch: levelSwitch, logger: logger, version: Self.version,
                                  clock: DaemonClock(startingAtMs: clockStart))
        let group = ServiceGroup(configuration: .init(
            services: [.init(service: runner, successTerminationBehavior: .gracefullyShutdownGroup,
                             failureTerminationBehavior: .gracefullyShutdownGroup)],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch let refusal as RunError {
            logger.critical("cannot run", metadata: ["error": "\(refusal)"])
            throw ExitCode(refusal.exitCode)
        } catch {
            logger.critical("cannot run", metadata: ["error": "\(error)"])
            throw ExitCode(1)
        }
    }
}

extension Dcrd {
    /// `--restore FILE`: one line on standard output when restored, one on standard error when not.
    func runRestore(_ file: String, _ c: DaemonConfiguration, clock: DaemonClock, logger: Logger) throws {
        do {
            let outcome = try DaemonRunner.restore(configuration: c, file: file, force: force, clock: clock, logger: logger)
            print("dcrd: restored \(outcome.events) events (up to sequence \(outcome.lastSequence)) from \(file) into \(c.stateDirectory)"
                  + (outcome.replacedPath.map { "; the previous store is kept as \($0)" } ?? "")
                  + "; the next start replays it")
        } catch let refusal as RestoreError {
            FileHandleStderr.write("dcrd: \(refusal)\n")
            if case .failed = refusal { throw ExitCode(1) }
            throw ExitCode(78)
        } catch let refusal as RunError {
            FileHandleStderr.write("dcrd: \(refusal)\n")
            throw ExitCode(refusal.exitCode)
        } catch {
            FileHandleStderr.write("dcrd: restore failed: \(error)\n")
            throw ExitCode(1)
        }
    }
}

enum FileHandleStderr {
    static func write(_ s: String) {
        var bytes = Array(s.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
