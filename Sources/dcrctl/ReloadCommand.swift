import ArgumentParser
import DCRModel
import DCRWire

struct ReloadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reload",
        abstract: "Make dcrd re-read its configuration file, as SIGHUP does (role admin).",
        discussion: "The whole file is checked first; a broken one is refused with the reason and the configuration in force stays. Listen addresses and the state directory change only on restart.")

    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let c = try await connection.open(role: .admin)
        defer { Task { await c.close() } }
        _ = try checked(try await c.send(.reload))
        print("reloaded: the new configuration is in force")
    }
}
