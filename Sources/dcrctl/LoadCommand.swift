import ArgumentParser
import DCRModel
import DCRWire

struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Booths taken per site, recent intakes, today against a normal day.")

    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: ArgumentHelp("Only this site.", valueName: "code")) var site: String?
    @Flag(name: .long, help: "Print JSON ({\"version\": 1, …}).") var json = false
    @Option(name: .long, help: ArgumentHelp("Repeat every N seconds until interrupted.", valueName: "seconds"))
    var watch: Double?

    func run() async throws {
        let c = try await connection.open(role: .monitor)
        defer { Task { await c.close() } }
        try await repeating(every: watch) {
            let r = try checked(try await c.send(.load(site: site)))
            guard case .load(let l) = r.body else { throw ExitCode(1) }
            print(json ? LoadView.json(l).render() : LoadView.text(l))
        }
    }
}

enum LoadView {
    static func siteJSON(_ s: SiteLoad) -> JSON {
        .object([
            ("site", .string(s.site)), ("booths_taken", .uint(UInt64(s.boothsTaken))), ("capacity", .uint(UInt64(s.capacity))),
            ("intakes_5m", .uint(UInt64(s.intakes5m))), ("intakes_15m", .uint(UInt64(s.intakes15m))),
            ("intakes_1h", .uint(UInt64(s.intakes1h))), ("intakes_today", .uint(UInt64(s.intakesToday))),
            ("typical_today", s.typicalWeeks == 0 ? .null : .double(s.typicalToday)),
            ("typical_weeks", .uint(UInt64(s.typicalWeeks))),
            ("incidents_today", .uint(UInt64(s.incidentsToday))), ("referrals_today", .uint(UInt64(s.referralsToday))),
            ("turn_aways_today", .uint(UInt64(s.turnAwaysToday))),
            ("intakes_per_minute", .array(s.intakesPerMinute.map { .uint(UInt64($0)) })),
        ])
    }

    static func json(_ l: LoadSnapshot) -> JSON {
        .object([
            ("version", .int(1)), ("server_version", .string(l.serverVersion)), ("server_time_ms", .int(l.serverTimeMs)),
            ("uptime_ms", .uint(l.uptimeMs)), ("terminals_connected", .uint(UInt64(l.terminalsConnected))),
            ("events_per_second", .double(l.eventsPerSecond)), ("sites", .array(l.sites.map(siteJSON))),
        ])
    }

    static func text(_ l: LoadSnapshot) -> String {
        var t = Table(header: ["SITE", "BOOTHS", "5 MIN", "15 MIN", "1 H", "TODAY", "TYPICAL", "INCIDENTS", "REFERRALS", "TURNED AWAY"],
                      rightAligned: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        for s in l.sites {
            t.rows.append([s.site, "\(s.boothsTaken)/\(s.capacity)", "\(s.intakes5m)", "\(s.intakes15m)", "\(s.intakes1h)",
                           grouped(s.intakesToday), s.typicalWeeks == 0 ? "no history" : fixed(s.typicalToday),
                           "\(s.incidentsToday)", "\(s.referralsToday)", "\(s.turnAwaysToday)"])
        }
        return t.render()
    }
}
