import ArgumentParser
import DCRModel
#if canImport(Glibc)
import Glibc
#endif

/// `dcrctl send void | amend | referral-outcome`: corrections of earlier events. The original
/// stays stored; the correction is stored with this connection's name and role.
struct SendVoid: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "void", abstract: "An earlier event did not happen as stored: it stops counting.",
        discussion: """
            The event stays in the store; the void is an event of its own, with this terminal's name \
            and role, its time and reason. A terminal may void events up to the daemon's void-window \
            (default 24 hours) old; older ones need --admin (the admin role). `dcrctl history ID` shows \
            an event with its corrections.
            """)
    @OptionGroup var event: EventOptions
    @Option(name: .customLong("target-id"), help: ArgumentHelp("The event to void.", valueName: "uuid")) var targetID: String
    @Option(name: .long, help: "wrong-client, entered-twice, wrong-details, other.") var reason: String
    @Flag(name: .long, help: "Connect with the admin role (needed for events older than the void window).") var admin = false

    func run() async throws {
        try await event.send(.voiding(Voiding(header: try event.header(), targetID: try parseID(targetID, "target-id"),
                                              reason: try parseLabel(reason, "reason"))),
                             role: admin ? .admin : .terminal)
    }
}

struct SendReferralOutcome: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "referral-outcome", abstract: "Whether an earlier referral was taken up.")
    @OptionGroup var event: EventOptions
    @Option(name: .customLong("referral-id"), help: ArgumentHelp("The referral's event id.", valueName: "uuid")) var referralID: String
    @Option(name: .long, help: "yes, no or unknown.") var accepted: String

    func run() async throws {
        try await event.send(.referralOutcome(ReferralOutcome(
            header: try event.header(), referralID: try parseID(referralID, "referral-id"),
            accepted: try parseLabel(accepted, "accepted", allowUnknown: true))))
    }
}

/// The corrected event's options come from the `send KIND` command of its kind; these say what
/// is corrected and why.
struct AmendOptions: ParsableArguments {
    @Option(name: .customLong("target-id"), help: ArgumentHelp("The event to amend.", valueName: "uuid")) var targetID: String
    @Option(name: .long, help: "Why: wrong-client, entered-twice, wrong-details, other.") var correction: String
    @Option(name: .customLong("corrected-at-ms"), help: ArgumentHelp("When the correction is made, Unix milliseconds (default: now).", valueName: "ms"))
    var correctedAtMs: Int64?
    @Flag(name: .long, help: "Connect with the admin role (needed for events older than the void window).") var admin = false

    func send(_ corrected: Event, via options: EventOptions) async throws {
        let target = try parseID(targetID, "target-id")
        var fixed = corrected
        fixed.header.id = target
        let header = EventHeader(id: .random(), site: corrected.header.site,
                                 occurredAtMs: correctedAtMs ?? SystemClock.realtimeMs())
        try await options.send(.amend(Amend(header: header, targetID: target, reason: try parseLabel(correction, "correction"),
                                            corrected: fixed)), role: admin ? .admin : .terminal)
    }
}

struct SendAmend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "amend", abstract: "An earlier event happened with other fields: give every field as it should be.",
        discussion: """
            The kind stays (an intake stays an intake: void it and send a new event to change that). \
            Example: dcrctl send amend intake --target-id UUID --correction wrong-client --site H17 \
            --client-code K-2 --age 34 --at-ms MS
            """,
        subcommands: [AmendIntake.self, AmendIncident.self, AmendReferral.self, AmendTurnAway.self])
}

struct AmendIntake: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "intake", abstract: "The intake as it should have been stored.")
    @OptionGroup var amend: AmendOptions
    @OptionGroup var fields: SendIntake
    func run() async throws { try await amend.send(try fields.build(), via: fields.event) }
}

struct AmendIncident: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "incident", abstract: "The incident as it should have been stored.")
    @OptionGroup var amend: AmendOptions
    @OptionGroup var fields: SendIncident
    func run() async throws { try await amend.send(try fields.build(), via: fields.event) }
}

struct AmendReferral: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "referral", abstract: "The referral as it should have been stored.")
    @OptionGroup var amend: AmendOptions
    @OptionGroup var fields: SendReferral
    func run() async throws { try await amend.send(try fields.build(), via: fields.event) }
}

struct AmendTurnAway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "turn-away", abstract: "The turn-away as it should have been stored.")
    @OptionGroup var amend: AmendOptions
    @OptionGroup var fields: SendTurnAway
    func run() async throws { try await amend.send(try fields.build(), via: fields.event) }
}

func parseID(_ text: String, _ option: String) throws -> EventID {
    guard let id = EventID(uuidString: text) else { throw ValidationError("--\(option) \(text): not a UUID") }
    return id
}
