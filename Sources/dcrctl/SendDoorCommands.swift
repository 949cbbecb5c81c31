import ArgumentParser
import DCRModel

/// `dcrctl send turn-away | suspend | lift-suspension`: the events about the door.
struct SendTurnAway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "turn-away", abstract: "Someone was turned away at the door.",
        discussion: "Counted by reason, site, day, gender and age band (dcrctl report turn-aways), never as an intake.")
    @OptionGroup var event: EventOptions
    @Option(name: .long, help: "first-time-user, under-age, intoxicated, suspended, room-full, other.") var reason: String
    @Option(name: .customLong("client-code"), help: "The person's client code, if they have one (never stored raw).") var clientCode: String?
    @Option(name: .long, help: "male, female or other.") var gender: String = "unknown"
    @Option(name: .long, help: "Years, 12…100 (0: unknown).") var age: UInt32 = 0

    func run() async throws { try await event.send(try build()) }

    func build() throws -> Event {
        .turnAway(TurnAway(
            header: try event.header(), reason: try parseLabel(reason, "reason"),
            client: clientCode.map { .code(ClientCode($0)) }, gender: try parseLabel(gender, "gender"), age: age))
    }
}

struct SendSuspension: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suspend", abstract: "Suspend a client from the site (or every site) for a while.",
        discussion: """
            Intakes for the client are still stored while the suspension holds, but their \
            acknowledgement says until when the client is suspended. The daemon refuses suspensions \
            longer than its max-suspension (default 24 hours). End one early with \
            `dcrctl send lift-suspension --suspension-id UUID`.
            """)
    @OptionGroup var event: EventOptions
    @Option(name: .customLong("client-code"), help: "The client's code (never stored raw).") var clientCode: String
    @Option(name: .long, help: ArgumentHelp("How long, in minutes, from --from-ms.", valueName: "minutes")) var minutes: Int64
    @Option(name: .customLong("from-ms"), help: ArgumentHelp("Start, Unix milliseconds (default: the event's time).", valueName: "ms"))
    var fromMs: Int64?
    @Option(name: .long, help: "violence, threat, theft, dealing, other.") var reason: String
    @Flag(name: .customLong("all-sites"), help: "Suspend from every site, not only --site.") var allSites = false

    func run() async throws {
        guard minutes > 0 else { throw ValidationError("--minutes \(minutes): must be at least 1") }
        let header = try event.header()
        let from = fromMs ?? header.occurredAtMs
        try await event.send(.suspension(Suspension(
            header: header, client: .code(ClientCode(clientCode)), fromMs: from,
            untilMs: from + minutes * 60_000, reason: try parseLabel(reason, "reason"), allSites: allSites)))
    }
}

struct SendSuspensionLift: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lift-suspension", abstract: "End a suspension early (at --at-ms, default now).")
    @OptionGroup var event: EventOptions
    @Option(name: .customLong("suspension-id"), help: ArgumentHelp("The suspension's event id.", valueName: "uuid")) var suspensionID: String

    func run() async throws {
        guard let id = EventID(uuidString: suspensionID) else { throw ValidationError("--suspension-id \(suspensionID): not a UUID") }
        try await event.send(.suspensionLift(SuspensionLift(header: try event.header(), suspensionID: id)))
    }
}
