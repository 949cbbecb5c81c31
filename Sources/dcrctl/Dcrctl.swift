import ArgumentParser

/// The control CLI: live load for the on-call lead, exact statistics for the administration.
@main
struct Dcrctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dcrctl",
        abstract: "Look at and talk to the dcr daemon (dcrd).",
        discussion: """
            dcrctl finds dcrd on the same Unix socket the daemon uses by default; --socket or \
            --connect tcp:HOST:PORT (with --token-file) point it elsewhere. Tables are for people; \
            --json prints one versioned JSON document ({"version": 1, …}) whose field names never \
            change meaning.

            Exit status: 0 success; 64 usage; 65 the daemon refused the request (the message \
            names the field and the rule); 69 the daemon is not reachable; 75 the daemon cannot \
            store now, retry; 77 no permission (socket or role).
            """,
        version: "0.1.0",
        subcommands: [StatusCommand.self, LoadCommand.self, TopCommand.self, WatchCommand.self, ReportCommand.self, DocumentCommand.self, SendCommand.self, HistoryCommand.self, SimulateCommand.self, ReloadCommand.self, BackupCommand.self, ExportCommand.self, ForwardCommand.self])
}
