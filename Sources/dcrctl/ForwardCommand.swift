import ArgumentParser
import DCRModel
import DCRWire

/// The forwarder to the central PostgreSQL, as an on-call lead asks about it at 3 a.m.: is it
/// keeping up, and if not, why, since when, and how much is waiting.
struct ForwardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forward",
        abstract: "The forwarder to the central PostgreSQL: target, lag and last error (role monitor).",
        discussion: """
            dcrd copies every stored event to the central PostgreSQL named by `forward` in \
            dcrd.conf (Deploy/README.md, "Many rooms, one city"). Events wait in the local store \
            while the server is away; terminals are acknowledged as always. The lag is the number \
            of stored events not yet committed centrally and how long the oldest has waited.

            Exit status: 0 when forwarding works (or catches up), 1 when the last attempt failed, \
            3 when no forward is configured; so `dcrctl forward --status --quiet` fits a check \
            script.
            """)

    @OptionGroup var connection: ConnectionOptions
    @Flag(name: .long, help: "Show the forwarder's state (the default, and for now the only action).") var status = false
    @Flag(name: .long, help: "Print JSON ({\"version\": 1, …}).") var json = false
    @Flag(name: .long, help: "Print nothing; only the exit status.") var quiet = false

    func run() async throws {
        let c = try await connection.open(role: .monitor)
        defer { Task { await c.close() } }
        let r = try checked(try await c.send(.status))
        guard case .status(let s) = r.body else { throw ExitCode(1) }
        if !quiet {
            if json {
                print(JSON.object([("version", .int(1)), ("server_time_ms", .int(s.serverTimeMs)),
                                   ("forward", StatusView.forwardJSON(s))]).render())
            } else {
                print(ForwardView.text(s))
            }
        }
        throw ExitCode(ForwardView.exitStatus(s))
    }
}

enum ForwardView {
    static func exitStatus(_ s: StatusSnapshot) -> Int32 {
        if s.forwardTarget.isEmpty { return 3 }
        return s.forwardLastError.isEmpty ? 0 : 1
    }

    static func text(_ s: StatusSnapshot) -> String {
        guard !s.forwardTarget.isEmpty else {
            return "forwarding is off: dcrd.conf has no forward postgres://… line (Deploy/README.md, \"Many rooms, one city\")"
        }
        let state = s.forwardLastError.isEmpty
            ? (s.forwardLagEvents == 0 ? "up to date" : "catching up")
            : "FAILING"
        var lines = [
            "target           \(s.forwardTarget)",
            "state            \(state)",
            "lag              \(grouped(s.forwardLagEvents)) events" + (s.forwardLagEvents == 0 ? "" : ", the oldest waiting \(duration(ms: UInt64(max(0, s.forwardLagSeconds)) * 1000))"),
            "forwarded        \(grouped(s.forwardForwarded)) events since dcrd started",
            "failed attempts  \(grouped(s.forwardFailures)) since dcrd started",
        ]
        if !s.forwardLastError.isEmpty {
            let age = duration(ms: UInt64(max(0, s.serverTimeMs - s.forwardLastErrorAtMs)))
            lines.append("last error       \(s.forwardLastError) (\(age) ago, at \(UTCTimestamp.text(ms: s.forwardLastErrorAtMs)))")
            lines.append("                 terminals are acknowledged as always; the events wait in the local store")
        }
        return lines.joined(separator: "\n")
    }
}
