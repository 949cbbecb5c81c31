import ArgumentParser
import DCRModel
import DCRWire
#if canImport(Glibc)
import Glibc
#endif

struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send one event as a booth terminal would (for manual use and scripts).",
        discussion: "The event is acknowledged only once it is durably stored. Resending with the same --event-id is safe: it is acknowledged as a duplicate and counted once.",
        subcommands: [SendIntake.self, SendRelease.self, SendIncident.self, SendReferral.self,
                      SendTurnAway.self, SendSuspension.self, SendSuspensionLift.self,
                      SendVoid.self, SendAmend.self, SendReferralOutcome.self])
}

/// The fields every event has.
struct EventOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: ArgumentHelp("Site code, e.g. H17.", valueName: "code")) var site: String
    @Option(name: .long, help: ArgumentHelp("Booth number (0: none).", valueName: "n")) var booth: UInt32 = 0
    @Option(name: .customLong("at-ms"), help: ArgumentHelp("When it happened, Unix milliseconds (default: now).", valueName: "ms"))
    var atMs: Int64?
    @Option(name: .customLong("event-id"), help: ArgumentHelp("The event's UUID (default: a new one); reuse it to resend.", valueName: "uuid"))
    var eventID: String?
    @Flag(name: .long, help: "Print JSON ({\"version\": 1, …}).") var json = false

    func header() throws -> EventHeader {
        let id: EventID
        if let eventID {
            guard let parsed = EventID(uuidString: eventID) else { throw ValidationError("--event-id \(eventID): not a UUID") }
            id = parsed
        } else {
            id = EventID.random()
        }
        return EventHeader(id: id, site: site, occurredAtMs: atMs ?? SystemClock.realtimeMs(), booth: booth)
    }

    func send(_ event: Event, role: Role = .terminal) async throws {
        let c = try await connection.open(role: role)
        defer { Task { await c.close() } }
        let r = try checked(try await c.send(.event(event)))
        guard case .ack(let duplicate, let suspendedUntilMs) = r.body else { throw ExitCode(1) }
        if json {
            var fields: [(String, JSON)] = [("version", .int(1)), ("event_id", .string(event.id.description)), ("duplicate", .bool(duplicate))]
            if suspendedUntilMs != 0 { fields.append(("suspended_until_ms", .int(suspendedUntilMs))) }
            print(JSON.object(fields).render())
        } else {
            print(duplicate ? "duplicate: event \(event.id) was already stored; counted once" : "stored: event \(event.id)")
            if suspendedUntilMs != 0 {
                print("warning: this client is suspended at \(event.header.site) until \(suspendedUntilMs) (Unix ms); the intake is stored all the same")
            }
        }
    }
}

func parseLabel<T: RegisteredValue>(_ text: String, _ option: String, allowUnknown: Bool = false) throws -> T {
    guard let v = T(label: text) else {
        throw ValidationError("--\(option) \(text): expected one of \(T.labels.filter { allowUnknown || $0 != "unknown" }.joined(separator: ", "))")
    }
    return v
}

struct SendIntake: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "intake", abstract: "A client takes a booth and uses.")
    @OptionGroup var event: EventOptions
    @Option(name: .customLong("client-code"), help: ArgumentHelp("The client's pseudonymous code (never stored raw).", valueName: "code")) var clientCode: String
    @Option(name: .long, help: "male, female or other.") var gender: String = "unknown"
    @Option(name: .long, help: "Years, 12…100 (0: unknown).") var age: UInt32 = 0
    @Option(name: .long, help: "Danish municipality code (0: unknown).") var municipality: UInt32 = 0
    @Option(name: .long, help: ArgumentHelp("heroin, cocaine, crack, amphetamine, methamphetamine, methadone, opioid-medicine, benzodiazepine, ketamine, other.")) var substance: String = "unknown"
    @Option(name: .long, help: "injection, smoking, snorting, oral, other.") var route: String = "unknown"

    func run() async throws { try await event.send(try build()) }

    func build() throws -> Event {
        .intake(Intake(header: try event.header(), client: .code(ClientCode(clientCode)),
            gender: try parseLabel(gender, "gender"), age: age, municipality: municipality,
            substance: try parseLabel(substance, "substance"), route: try parseLabel(route, "route")))
    }
}

struct SendRelease: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "release", abstract: "A booth is free again (--booth required).")
    @OptionGroup var event: EventOptions
    func run() async throws {
        try await event.send(.boothRelease(BoothRelease(header: try event.header())))
    }
}

struct SendIncident: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "incident", abstract: "A situation report.")
    @OptionGroup var event: EventOptions
    @Option(name: .long, help: "violence, theft, threat, sexual-harassment, sexual-assault, rape, overdose, needle-stick-injury, weapon, other.") var kind: String
    @Option(name: .customLong("victim-gender"), help: "male, female or other.") var victimGender: String = "unknown"
    @Option(name: .customLong("victim-role"), help: "client, staff or other.") var victimRole: String = "unknown"
    @Option(name: .customLong("client-code"), help: "The client involved, if any.") var clientCode: String?
    @Option(name: .customLong("overdose-response"), help: "For overdoses: none, oxygen, naloxone, ambulance.") var overdoseResponse: String = "unknown"

    func run() async throws { try await event.send(try build()) }

    func build() throws -> Event {
        .incident(Incident(header: try event.header(), kind: try parseLabel(kind, "kind"),
            victimGender: try parseLabel(victimGender, "victim-gender"), victimRole: try parseLabel(victimRole, "victim-role"),
            client: clientCode.map { .code(ClientCode($0)) }, overdoseResponse: try parseLabel(overdoseResponse, "overdose-response")))
    }
}

struct SendReferral: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "referral", abstract: "A client is referred to other help.")
    @OptionGroup var event: EventOptions
    @Option(name: .customLong("client-code"), help: "The client's pseudonymous code.") var clientCode: String
    @Option(name: .long, help: "male, female or other.") var gender: String = "unknown"
    @Option(name: .long, help: "drug-treatment, outreach-assessment, treatment-trial, health-care, housing, social-services, mental-health, other.") var target: String
    @Option(name: .long, help: "Where the help is given: in-room, on-site, offsite.") var scope: String = "unknown"
    @Option(name: .long, help: "Whether the client took it up: yes, no (default: unknown; set it later with send referral-outcome).") var accepted: String = "unknown"

    func run() async throws { try await event.send(try build()) }

    func build() throws -> Event {
        .referral(Referral(header: try event.header(), client: .code(ClientCode(clientCode)),
            gender: try parseLabel(gender, "gender"), target: try parseLabel(target, "target"),
            scope: try parseLabel(scope, "scope"), accepted: try parseLabel(accepted, "accepted")))
    }
}
