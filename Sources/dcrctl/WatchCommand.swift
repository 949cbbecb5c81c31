import ArgumentParser
import DCRClient
import DCRModel
import DCRWire

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Stream the live load as lines (or NDJSON with --json), pushed by the daemon.",
        discussion: """
            Every update is a fresh answer from a running daemon: nothing is ever printed from a \
            cache. Each carries the daemon's clock (server_time_ms) and uptime (uptime_ms); in text \
            mode a line "dcrd VERSION at HH:MM:SS, up …" heads each table.

            When the daemon goes away, watch says so once on stderr ("…; reconnecting…"), prints \
            nothing while it is away, and says "reconnected" when it answers again; after a restart \
            uptime_ms starts again from zero. A refusal that will not pass by itself (no permission, \
            wrong role) ends watch with its exit status.
            """)

    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: ArgumentHelp("Only this site.", valueName: "code")) var site: String?
    @Option(name: .long, help: ArgumentHelp("Seconds between updates.", valueName: "seconds")) var interval: Double = 1
    @Flag(name: .long, help: "One JSON document per line (NDJSON).") var json = false
    @Option(name: .long, help: ArgumentHelp("Stop after N updates (for scripts).", valueName: "n")) var count: Int?

    func validate() throws {
        guard interval >= 0.1, interval <= 3600 else { throw ValidationError("--interval \(interval): expected 0.1…3600 seconds") }
    }

    func run() async throws {
        let endpoint = try connection.endpoint(role: .monitor)
        var printed = 0
        var pending: DaemonConnection? = try await connection.open(role: .monitor)
        var lost = false
        var backoffMs = 100
        while true {
            let c: DaemonConnection
            if let p = pending {
                c = p
                pending = nil
            } else {
                do {
                    c = try await endpoint.connect()
                } catch {
                    try stopUnlessTransient(error)
                    try await Task.sleep(for: .milliseconds(backoffMs))
                    backoffMs = min(backoffMs * 2, 2000)
                    continue
                }
                if lost { fail("reconnected to \(endpoint.address) (dcrd \(c.welcome.serverVersion))") }
            }
            lost = false
            backoffMs = 100
            do {
                for try await r in c.watch(intervalMs: UInt32((interval * 1000).rounded()), site: site) {
                    if let e = r.error, e.code == .unavailable { throw ClientError.refused(e) }
                    let r = try checked(r)
                    guard case .load(let l) = r.body else { continue }
                    print(json ? LoadView.json(l).render() : Self.text(l))
                    fflushStdout()
                    printed += 1
                    if let count, printed >= count { await c.close(); return }
                }
                throw ClientError.connectionClosed
            } catch let refusal as ExitCode {
                await c.close()
                throw refusal  // the daemon refused the watch itself; already reported
            } catch {
                await c.close()
                try stopUnlessTransient(error)
                fail("\(error); reconnecting…")
                lost = true
            }
        }
    }

    private func stopUnlessTransient(_ error: any Error) throws {
        guard !isTransient(error) else { return }
        if let e = error as? ClientError {
            fail(e.description)
            throw exitStatus(for: e)
        }
        throw error
    }

    static func text(_ l: LoadSnapshot) -> String {
        "dcrd \(l.serverVersion) at \(localTimeOfDay(ms: l.serverTimeMs)), up \(duration(ms: l.uptimeMs))\n" + LoadView.text(l) + "\n"
    }
}
