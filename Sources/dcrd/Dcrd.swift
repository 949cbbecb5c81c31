import ArgumentParser
import DCRConfig
import DCRServer
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
            dcrd listens for booth terminals and for dcrctl on Unix and TCP sockets (or on sockets \
            inherited from systemd), stores every event durably in the state directory before it \
            acknowledges it, and keeps live counters and the whole history in memory for instant \
            answers.

            Without --config it reads \(DefaultPaths.configFile) (or $DCR_CONFIG) when that file \
            exists, and otherwise runs on its embedded defaults: sites H17 (12 booths), SKYEN (6) and \
            MOBILE (2), listening on unix:\(DefaultPaths.socketPath) and tcp:127.0.0.1:\(DefaultPaths.tcpPort). \
            Options given here override the file. SIGHUP re-reads the file; SIGTERM stops cleanly.

            Exit status: 0 after a clean stop, 78 (EX_CONFIG) for a configuration error, 1 when \
            the daemon cannot start (state directory, store or socket unusable).
            """,
        version: version)

    @Option(name: .long, help: ArgumentHelp("Configuration file.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Listen on unix:PATH or tcp:HOST:PORT (repeatable; replaces the configured list).", valueName: "address"))
    var listen: [String] = []

    @Option(name: .customLong("state-dir"), help: ArgumentHelp("Where the event store and the pseudonym key live.", valueName: "path"))
    var stateDir: String?

    @Option(name: .customLong("time-zone"), help: ArgumentHelp("Time zone for dates, hours and weekdays.", valueName: "zone"))
    var timeZone: String?

    @Option(name: .customLong("log-level"), help: ArgumentHelp("trace, debug, info, notice, warning, error or critical.", valueName: "level"))
    var logLevel: String?

    func validate() throws {
        for l in listen where ListenAddress(parsing: l) == nil {
            throw ValidationError("--listen \(l): expected unix:PATH or tcp:HOST:PORT")
        }
    }

    /// The file (if any) plus this command line's overrides; used at start and on every SIGHUP.
    func loadConfiguration() throws -> DaemonConfiguration {
        var c = DaemonConfiguration()
        let path = config ?? DefaultPaths.configFileInUse
        if config != nil || access(path, F_OK) == 0 {
            c = try ConfigurationFile.load(path: path)
        }
        if !listen.isEmpty { c.listen = listen.compactMap(ListenAddress.init(parsing:)) }
        if let stateDir { c.stateDirectory = stateDir }
        if let timeZone {
            c.timeZone = timeZone
        }
        if let logLevel {
            guard Logger.Level(rawValue: logLevel) != nil else {
                throw ConfigurationError(file: "--log-level", line: 0, message: "\"\(logLevel)\" is not a log level")
            }
            c.logLevel = logLevel
        }
        return c
    }

    func run() async throws {
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
        } catch {
            logger.critical("cannot run", metadata: ["error": "\(error)"])
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
