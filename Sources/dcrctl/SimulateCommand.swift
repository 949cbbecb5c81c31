import ArgumentParser
import DCRClient
import DCRModel
import DCRSimulator
import DCRWire
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Set by SIGINT/SIGTERM: the simulation stops after the batch in flight and prints its summary.
private let interrupted = Atomic<Bool>(false)

struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Act as the booth terminals of simulated rooms: backfill past weeks, then run live.",
        discussion: """
            The simulated room has the documents' shape: open 08:30–23:30, about 60% of intakes \
            12–18, Fridays ×1.2, days 1–3 of the month ×1.4, 17–22% women, ages 18–65, more cocaine \
            than heroin, booth sessions of 20–30 minutes, about one incident a day, ~2.5 referrals per \
            100 visits. The same --seed gives the same room.

            --backfill WEEKS sends the past weeks at full speed with their own timestamps (up to the \
            daemon's "now"). Then the room runs live, --speed times faster than real time: gaps are \
            compressed, and every live event is stamped with the daemon's clock as it is sent, so it \
            is never in the future. Closed hours are skipped. Stop with Ctrl-C or --duration.

            Examples:
              dcrctl simulate --backfill 4 --speed 60 --seed 1
              dcrctl simulate --site H17 --site MOBILE:2 --duration 60
            """)

    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: ArgumentHelp("Simulate this site, CODE or CODE:BOOTHS (repeatable; default: every site the daemon has).", valueName: "code"))
    var site: [String] = []
    @Option(name: .long, help: ArgumentHelp("Send this many past weeks first, with their own timestamps.", valueName: "weeks"))
    var backfill: Int = 0
    @Option(name: .long, help: ArgumentHelp("Run live this many times faster than real time (0: stop after the backfill).", valueName: "n"))
    var speed: Double = 1
    @Option(name: .long, help: ArgumentHelp("Seed of the simulated room.", valueName: "n"))
    var seed: UInt64 = 1
    @Option(name: .long, help: ArgumentHelp("Stop the live run after this many (real) seconds.", valueName: "seconds"))
    var duration: Double?
    @Option(name: .customLong("rate-limit"), help: ArgumentHelp("Send the backfill at most this many events per second (default: as fast as the daemon stores).", valueName: "events"))
    var rateLimit: Double?
    @Option(name: .long, help: ArgumentHelp("Share of each site's clients replaced by new ones per day (default 0.002).", valueName: "fraction"))
    var turnover: Double?
    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Events per pipelined batch.", valueName: "n"))
    var batchSize: Int = 512

    func validate() throws {
        if backfill < 0 { throw ValidationError("--backfill \(backfill): must be 0 or more weeks") }
        if !(speed >= 0) { throw ValidationError("--speed \(speed): must be 0 or more") }
        if let duration, !(duration > 0) { throw ValidationError("--duration \(duration): must be positive") }
        if let rateLimit, !(rateLimit > 0) { throw ValidationError("--rate-limit \(rateLimit): must be positive") }
        if let turnover, !(turnover >= 0 && turnover < 1) { throw ValidationError("--turnover \(turnover): must be in 0…1") }
        if batchSize < 1 || batchSize > 4096 { throw ValidationError("--batch-size \(batchSize): must be 1…4096") }
        for s in site where Self.parseSite(s) == nil {
            throw ValidationError("--site \(s): expected CODE or CODE:BOOTHS, e.g. H17 or MOBILE:2")
        }
    }

    static func parseSite(_ text: String) -> (code: String, capacity: UInt32?)? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, Site.isValidCode(String(parts[0])) else { return nil }
        if parts.count == 2 {
            guard let c = UInt32(parts[1]), c > 0 else { return nil }
            return (String(parts[0]), c)
        }
        return (String(parts[0]), nil)
    }

    /// The rooms to simulate: capacities from --site, else from the daemon's Load (when this
    /// user may ask for it), else the embedded defaults.
    func sites() async -> [SimulatedSite] {
        var known = Dictionary(uniqueKeysWithValues: Site.defaults.map { ($0.code, $0.capacity) })
        var order = Site.defaults.map(\.code)
        if let (address, tls) = try? connection.address,
           let monitor = try? await DaemonConnection.connect(to: address, tls: tls, hello: Hello(clientName: "dcrctl-simulate", role: .monitor)) {
            if case .load(let load)? = try? await monitor.send(.load(site: nil)).body, !load.sites.isEmpty {
                known = Dictionary(load.sites.map { ($0.site, $0.capacity) }, uniquingKeysWith: { a, _ in a })
                order = load.sites.map(\.site)
            }
            await monitor.close()
        }
        if site.isEmpty { return order.map { SimulatedSite(code: $0, capacity: known[$0] ?? 6) } }
        return site.compactMap(Self.parseSite).map { SimulatedSite(code: $0.code, capacity: $0.capacity ?? known[$0.code] ?? 6) }
    }

    func run() async throws {
        let simulatedSites = await sites()
        let terminal = try await connection.open(role: .terminal)
        defer { Task { await terminal.close() } }
        for sig in [SIGINT, SIGTERM] {
            signal(sig) { _ in interrupted.store(true, ordering: .relaxed) }
        }

        // "Now" is the daemon's clock, so that nothing is sent in its future.
        let offsetMs = terminal.welcome.serverTimeMs == 0 ? 0 : terminal.welcome.serverTimeMs - SystemClock.realtimeMs()
        func daemonNow() -> Int64 { SystemClock.realtimeMs() + offsetMs }
        guard let calendar = LocalCalendar() else { throw ExitCode(1) }
        var settings = SimulatorSettings(sites: simulatedSites, seed: seed)
        if let turnover { settings.turnoverPerDay = turnover }
        let now = daemonNow()
        let today = calendar.localTime(ms: now).date
        var sim = RoomSimulator(settings: settings, start: today.adding(days: -7 * backfill), calendar: calendar)
        var progress = Progress(tty: isatty(1) == 1)
        progress.sites = simulatedSites.map { "\($0.code)(\($0.capacity))" }.joined(separator: " ")

        // Backfill: every day before now, at full speed (or --rate-limit), batch by batch.
        let started = SystemClock.monotonicMs()
        var pending: [Event] = []
        var batch: [Event] = []
        batch.reserveCapacity(batchSize)
        while sim.nextDate <= today, !interrupted.load(ordering: .relaxed) {
            let day = sim.nextDay()
            for e in day {
                if e.header.occurredAtMs >= now { pending.append(e); continue }
                guard backfill > 0 else { continue }
                batch.append(e)
                if batch.count == batchSize {
                    try await send(batch, on: terminal, progress: &progress, live: false)
                    batch.removeAll(keepingCapacity: true)
                    try await throttle(sent: progress.backfilled, since: started)
                    if interrupted.load(ordering: .relaxed) { break }
                }
            }
        }
        if !batch.isEmpty && !interrupted.load(ordering: .relaxed) {
            try await send(batch, on: terminal, progress: &progress, live: false)
        }
        progress.backfillSeconds = Double(SystemClock.monotonicMs() - started) / 1000
        progress.phase = "live"
        if speed > 0 { progress.simulatedMs = now }
        progress.show(force: true)
        if speed > 0 { progress.announceLive() }

        // Live: simulated time runs `speed` times faster; each event is stamped "now" when sent.
        if speed > 0 {
            let liveStart = SystemClock.monotonicMs()
            var simStart = now
            var realStart = liveStart
            var index = 0
            // Booths taken per site, to know when the room is empty. At the start they are the
            // backfilled intakes still in a booth: their releases are pending, their intakes are not.
            var open: [String: Int] = [:]
            for e in pending {
                switch e {
                case .intake: open[e.header.site, default: 0] -= 1
                case .boothRelease: open[e.header.site, default: 0] += 1
                default: break
                }
            }
            while !interrupted.load(ordering: .relaxed) {
                if let duration, Double(SystemClock.monotonicMs() - liveStart) >= duration * 1000 { break }
                if index == pending.count {
                    pending = sim.nextDay()
                    index = 0
                    continue
                }
                let simNow = simStart + Int64(Double(SystemClock.monotonicMs() - realStart) * speed)
                let due = pending[index].header.occurredAtMs
                if due > simNow {
                    let waitMs = Double(due - simNow) / speed
                    // Closed hours (nobody in a booth): skip ahead instead of waiting.
                    if waitMs > 2000 && open.values.allSatisfy({ $0 == 0 }) {
                        simStart = due
                        realStart = SystemClock.monotonicMs()
                        continue
                    }
                    try await Task.sleep(for: .milliseconds(Int(min(waitMs, 200)) + 1))
                    progress.simulatedMs = simNow
                    progress.show(force: false)
                    continue
                }
                batch.removeAll(keepingCapacity: true)
                let stamp = daemonNow()
                while index < pending.count, pending[index].header.occurredAtMs <= simNow, batch.count < batchSize {
                    var e = pending[index]
                    switch e {
                    case .intake: open[e.header.site, default: 0] += 1
                    case .boothRelease: open[e.header.site, default: 0] -= 1
                    default: break
                    }
                    e.header.occurredAtMs = stamp
                    batch.append(e)
                    index += 1
                }
                try await send(batch, on: terminal, progress: &progress, live: true)
                progress.simulatedMs = simNow
                progress.show(force: false)
            }
        }
        progress.phase = "stopped"
        progress.finish()
    }

    /// Sends one pipelined batch; a refusal stops the run with the command's usual exit code.
    func send(_ events: [Event], on c: DaemonConnection, progress: inout Progress, live: Bool) async throws {
        let answers: [Response]
        do {
            answers = try await c.sendAll(events.map { .event($0) })
        } catch let e as ClientError {
            progress.finish()
            fail(e.description)
            throw exitStatus(for: e)
        }
        for (event, answer) in zip(events, answers) {
            if let error = answer.error {
                progress.finish()
                fail("\(error.code): \(error.message)")
                throw exitStatus(for: .refused(error))
            }
            if case .ack(true, _) = answer.body { progress.duplicates += 1 }
            progress.count(event, live: live)
        }
    }

    func throttle(sent: Int, since startMs: Int64) async throws {
        guard let rateLimit else { return }
        let dueMs = Double(sent) / rateLimit * 1000
        let elapsed = Double(SystemClock.monotonicMs() - startMs)
        if dueMs > elapsed { try await Task.sleep(for: .milliseconds(Int(dueMs - elapsed))) }
    }
}

/// The one progress line: rewritten in place on a terminal, printed once at the end otherwise.
struct Progress {
    let tty: Bool
    var sites = ""
    var phase = "backfill"
    var backfilled = 0
    var live = 0
    var intakes = 0
    var incidents = 0
    var referrals = 0
    var duplicates = 0
    var backfillSeconds = 0.0
    var simulatedMs: Int64?
    private var lastShownMs: Int64 = 0

    init(tty: Bool) { self.tty = tty }

    mutating func count(_ e: Event, live isLive: Bool) {
        if isLive { live += 1 } else { backfilled += 1 }
        switch e.kind {
        case .intake: intakes += 1
        case .incident: incidents += 1
        case .referral: referrals += 1
        default: break
        }
        if !isLive && backfilled % 8192 == 0 { show(force: false) }
    }

    var line: String {
        var s = "simulate \(sites): backfill \(grouped(backfilled)) events in \(fixed(backfillSeconds, 1)) s"
        if phase != "backfill" && (live > 0 || simulatedMs != nil) { s += "; live \(grouped(live)) events" }
        if let simulatedMs, let calendar = LocalCalendar() {
            let t = calendar.localTime(ms: simulatedMs)
            s += " (room time \(t.date) \(twoDigits(t.hour)):\(twoDigits(t.minute)))"
        }
        s += "; \(grouped(intakes)) intakes, \(grouped(incidents)) incidents, \(grouped(referrals)) referrals"
        if duplicates > 0 { s += ", \(grouped(duplicates)) duplicates" }
        return s
    }

    mutating func show(force: Bool) {
        guard tty else { return }
        let now = SystemClock.monotonicMs()
        guard force || now - lastShownMs >= 500 else { return }
        lastShownMs = now
        print("\r\u{1B}[K" + line, terminator: "")
        fflush(nil)
    }

    /// Off a terminal, one line when the live run starts (logs and scripts wait for it).
    mutating func announceLive() {
        guard !tty else { return }
        print(line)
        fflush(nil)
    }

    mutating func finish() {
        if tty { print("\r\u{1B}[K" + line) } else { print(line) }
        fflush(nil)
    }
}

private func twoDigits(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }

