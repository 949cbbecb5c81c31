import ArgumentParser
import DCRModel
import DCRWire

/// `dcrctl history EVENT_ID`: an event and every correction of it, and what counts now.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show an event and every correction of it (void, amend, referral outcome), and what counts now.",
        discussion: "Corrections never change the stored event: each is an event of its own, with the terminal's name and role, its time and reason. No client code or pseudonym is shown.")

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: ArgumentHelp("The event's UUID.", valueName: "event-id")) var eventID: String
    @Flag(name: .long, help: "Print JSON ({\"version\": 1, …}).") var json = false

    func run() async throws {
        guard let id = EventID(uuidString: eventID) else { throw ValidationError("\(eventID): not a UUID") }
        let c = try await connection.open(role: .monitor)
        defer { Task { await c.close() } }
        let r = try checked(try await c.send(.history(id)))
        guard case .history(let h) = r.body else { throw ExitCode(1) }
        print(json ? Self.json(h).render() : Self.text(h))
    }

    static func json(_ h: EventHistory) -> JSON {
        .object([
            ("version", .int(1)), ("counted", .bool(h.counted)), ("counted_as", .string(h.countedAs)),
            ("entries", .array(h.entries.map { e in
                var o: [(String, JSON)] = [
                    ("event_id", .string(e.id.description)), ("kind", .string(e.kind.label)), ("site", .string(e.site)),
                    ("occurred_at_ms", .int(e.occurredAtMs)), ("received_at_ms", .int(e.receivedAtMs)),
                    ("summary", .string(e.summary)),
                ]
                if e.kind.isCorrection {
                    o += [("corrected_by", .string(e.correctedBy.name)), ("corrected_by_role", .string(e.correctedBy.role.label)),
                          ("reason", .string(e.reason.label))]
                }
                return .object(o)
            })),
        ])
    }

    static func text(_ h: EventHistory) -> String {
        var lines: [String] = []
        for (i, e) in h.entries.enumerated() {
            var line = "\(i == 0 ? "event" : "  then") \(e.id) (\(e.kind.label)), happened \(e.occurredAtMs), stored \(e.receivedAtMs): \(e.summary)"
            if e.kind.isCorrection {
                line += " — by \(e.correctedBy.name.isEmpty ? "?" : EventRules.printable(e.correctedBy.name)) as \(e.correctedBy.role.label)"
            }
            lines.append(line)
        }
        lines.append(h.counted ? "counts as: \(h.countedAs)" : "counts: no (voided)")
        return lines.joined(separator: "\n")
    }
}
