import ArgumentParser
import DCRClient
import DCRConsole
import DCRModel
import DCRWire
#if canImport(Glibc)
import Glibc
#endif

struct TopCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "A full-screen live view of every site, pushed by the daemon (like htop).",
        discussion: """
            The header shows the daemon's version, uptime, connected terminals, events per second \
            and the time of the last update; each site shows booths taken against capacity, intakes \
            in the last 5 min, 15 min and 1 h, today against the typical count at this time on this \
            weekday, incidents and referrals today, and intakes per minute over the last hour.

            Keys: q quits, s steps through the sites (all, then each one), + and - lengthen and \
            shorten the refresh interval, ? shows help.

            When the daemon goes away, top says "reconnecting…" and carries on by itself; numbers \
            older than two intervals are marked with their age. Colour is used on a terminal unless \
            NO_COLOR is set. For pipes and scripts use dcrctl watch.
            """)

    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: ArgumentHelp("Start with only this site.", valueName: "code")) var site: String?
    @Option(name: .long, help: ArgumentHelp("Seconds between updates (+ and - change it).", valueName: "seconds"))
    var interval: Double = 1
    @Option(name: .customLong("give-up-after"),
            help: ArgumentHelp("Exit (status 69) when the daemon has been away this many seconds (default: keep trying).", valueName: "seconds"))
    var giveUpAfter: Double?

    func validate() throws {
        guard interval >= 0.1, interval <= 3600 else { throw ValidationError("--interval \(interval): expected 0.1…3600 seconds") }
        if let giveUpAfter, !(giveUpAfter > 0) { throw ValidationError("--give-up-after \(giveUpAfter): must be positive") }
    }

    func run() async throws {
        guard isatty(0) == 1, isatty(1) == 1 else {
            fail("top needs a terminal; for pipes and scripts use dcrctl watch [--json]")
            throw Exit.usage
        }
        let endpoint = try connection.endpoint(role: .monitor)
        // The first connection is made before the screen is taken, so that a daemon that is not
        // there, or a missing permission, is reported as a plain line with its exit status.
        let first = try await connection.open(role: .monitor)
        let colour = colourWanted(isTerminal: true, environment: ["NO_COLOR": environment("NO_COLOR") ?? "", "TERM": environment("TERM") ?? ""])
        let session = TopSession(endpoint: endpoint, colour: colour, intervalMs: Int((interval * 1000).rounded()),
                                 site: site, giveUpAfterMs: giveUpAfter.map { Int64($0 * 1000) })
        let outcome = try await session.run(first: first)
        // The terminal is restored by now: messages land on the normal screen.
        if let message = outcome.message { fail(message) }
        if outcome.status != 0 { throw ExitCode(outcome.status) }
    }
}

/// One run of the full-screen view: a single loop owns the state and acts on keys, signals,
/// answers from the daemon and a once-a-second tick (for the age of the numbers).
struct TopSession {
    enum Input: Sendable {
        case terminal(TerminalEvents.Event)
        case update(generation: Int, LoadSnapshot)
        case down(generation: Int, String)
        case fatal(generation: Int, String, Int32)
        case tick
    }

    struct Outcome {
        var status: Int32
        var message: String?
    }

    let endpoint: Endpoint
    let colour: Bool
    let intervalMs: Int
    let site: String?
    let giveUpAfterMs: Int64?

    func run(first: DaemonConnection) async throws -> Outcome {
        let (inputs, sink) = AsyncStream.makeStream(of: Input.self)
        let terminal = try RawTerminal()
        defer { terminal.restore() }
        let events = TerminalEvents(signals: [SIGWINCH, SIGINT, SIGTERM, SIGHUP, SIGQUIT]) { sink.yield(.terminal($0)) }
        defer { events.cancel() }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                sink.yield(.tick)
            }
        }
        defer { ticker.cancel() }

        var state = TopState(intervalMs: intervalMs, siteFilter: site)
        var generation = 0
        var feed = startFeed(generation: generation, state: state, initial: first, sink: sink)
        defer { feed.cancel() }
        var size = terminal.size()
        var lastUpdate: ContinuousClock.Instant?
        var updatedAt: String?
        var downSince: ContinuousClock.Instant?

        func draw() {
            let age = lastUpdate.map { since -> Int64 in
                let d = ContinuousClock.now - since
                return d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
            }
            let lines = TopLayout.render(state, size: size, clock: .init(ageMs: age, updatedAt: updatedAt),
                                         address: endpoint.address.description)
            terminal.write(Frame.render(lines, size: size, colour: colour))
        }

        draw()
        for await input in inputs {
            switch input {
            case .terminal(.keys(let bytes)):
                for b in bytes {
                    switch state.press(b) {
                    case .quit: return Outcome(status: 0)
                    case .rewatch:
                        feed.cancel()
                        generation += 1
                        feed = startFeed(generation: generation, state: state, initial: nil, sink: sink)
                    case .redraw, .none: break
                    }
                }
            case .terminal(.signal(let sig)):
                switch sig {
                case SIGWINCH: size = terminal.size()
                case SIGINT: return Outcome(status: 130)
                case SIGHUP: return Outcome(status: 129)
                default: return Outcome(status: 128 + sig)
                }
            case .terminal(.hangup):
                return Outcome(status: 0)
            case .update(let g, let load) where g == generation:
                state.received(load)
                lastUpdate = .now
                updatedAt = localTimeOfDay(ms: load.serverTimeMs)
                downSince = nil
            case .down(let g, let reason) where g == generation:
                state.lost(reason)
                if downSince == nil { downSince = .now }
            case .fatal(let g, let message, let status) where g == generation:
                return Outcome(status: status, message: message)
            case .tick:
                if let downSince, let giveUpAfterMs, ContinuousClock.now - downSince >= .milliseconds(giveUpAfterMs) {
                    return Outcome(status: Exit.unavailable.rawValue,
                                   message: "the daemon has been away for \(Format.age(ms: giveUpAfterMs)) (\(describeLink(state.link))); giving up")
                }
            case .update, .down, .fatal:
                continue  // from a stream that was replaced: never shown
            }
            draw()
        }
        return Outcome(status: 0)
    }

    /// A failure in a few words, for the status line.
    private func briefly(_ error: any Error) -> String {
        switch error as? ClientError {
        case .unreachable(_, let reason)?: "daemon unreachable: \(reason)"
        case .connectionClosed?: "the daemon closed the connection"
        case .refused(let e)?: "\(e.code): \(e.message)"
        default: "\(error)"
        }
    }

    private func describeLink(_ link: TopState.Link) -> String {
        if case .reconnecting(let reason) = link { return reason }
        return "no answer"
    }

    /// Connects (unless given a connection), watches, and reconnects after any passing failure,
    /// until cancelled. Every answer is tagged with `generation` so that answers from a stream
    /// that was replaced (new interval or site) are dropped.
    private func startFeed(generation: Int, state: TopState, initial: DaemonConnection?,
                          sink: AsyncStream<Input>.Continuation) -> Task<Void, Never> {
        let endpoint = self.endpoint
        let intervalMs = UInt32(state.intervalMs)
        let site = state.siteFilter
        return Task {
            var pending = initial
            var backoffMs = 100
            while !Task.isCancelled {
                let c: DaemonConnection
                if let p = pending {
                    c = p
                    pending = nil
                } else {
                    do {
                        c = try await endpoint.connect()
                    } catch {
                        guard isTransient(error) else {
                            let status = (error as? ClientError).map { exitStatus(for: $0).rawValue } ?? 1
                            sink.yield(.fatal(generation: generation, "\(error)", status))
                            return
                        }
                        sink.yield(.down(generation: generation, briefly(error)))
                        try? await Task.sleep(for: .milliseconds(backoffMs))
                        backoffMs = min(backoffMs * 2, 2000)
                        continue
                    }
                }
                do {
                    for try await r in c.watch(intervalMs: intervalMs, site: site) {
                        if let e = r.error {
                            if e.code == .unavailable { throw ClientError.refused(e) }
                            sink.yield(.fatal(generation: generation, "\(e.code): \(e.message)", exitStatus(for: .refused(e)).rawValue))
                            await c.close()
                            return
                        }
                        guard case .load(let l) = r.body else { continue }
                        backoffMs = 100
                        sink.yield(.update(generation: generation, l))
                    }
                } catch {
                    if !Task.isCancelled { sink.yield(.down(generation: generation, briefly(error))) }
                }
                await c.close()
            }
        }
    }
}
