import ArgumentParser
import DCRClient
import DCRModel
import DCRWire

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Stream the live load as lines (or NDJSON with --json), pushed by the daemon.",
        discussion: "When the daemon goes away, watch says so on stderr and reconnects by itself; every line carries the daemon's server_time_ms, so no line presents old numbers as new.")

    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: ArgumentHelp("Only this site.", valueName: "code")) var site: String?
    @Option(name: .long, help: ArgumentHelp("Seconds between updates.", valueName: "seconds")) var interval: Double = 1
    @Flag(name: .long, help: "One JSON document per line (NDJSON).") var json = false
    @Option(name: .long, help: ArgumentHelp("Stop after N updates (for scripts).", valueName: "n")) var count: Int?

    func run() async throws {
        var printed = 0
        var first = true
        while true {
            let c: DaemonConnection
            do {
                c = try await connection.open(role: .monitor)
            } catch {
                if first { throw error }
                try await Task.sleep(for: .milliseconds(500))
                continue
            }
            first = false
            do {
                for try await r in c.watch(intervalMs: UInt32(interval * 1000), site: site) {
                    let r = try checked(r)
                    guard case .load(let l) = r.body else { continue }
                    print(json ? LoadView.json(l).render() : LoadView.text(l) + "\n")
                    printed += 1
                    if let count, printed >= count { await c.close(); return }
                }
            } catch let error as ClientError {
                fail("\(error); reconnecting…")
            }
            await c.close()
        }
    }
}
