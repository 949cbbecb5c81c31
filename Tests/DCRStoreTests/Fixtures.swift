import DCRModel
import DCRStore
import Foundation
import Logging

/// Events and stores for the tests: fixed instants, no wall clock.
enum Fixtures {
    /// 2024-03-01 13:00:00 Europe/Copenhagen (12:00 UTC), a Friday and the 1st of the month.
    static let baseMs: Int64 = 1_709_294_400_000

    static let calendar = LocalCalendar()!

    static func pseudonym(_ n: Int) -> ClientRef {
        .pseudonym(Pseudonym(text: String(format: "%032x", n)))
    }

    static func header(_ offsetMs: Int64 = 0, site: String = "H17", booth: UInt32 = 0,
                       id: EventID = .random()) -> EventHeader {
        EventHeader(id: id, site: site, occurredAtMs: baseMs + offsetMs, booth: booth)
    }

    static func intake(_ offsetMs: Int64 = 0, client: ClientRef = pseudonym(1),
                       id: EventID = .random()) -> Event {
        .intake(Intake(header: header(offsetMs, booth: 3, id: id), client: client, gender: .female,
                       age: 34, municipality: 101, substance: .cocaine, route: .smoking))
    }

    /// One event of each kind with every field set to a non-default value.
    static func allKinds(startingAt offsetMs: Int64) -> [Event] {
        [
            .intake(Intake(header: header(offsetMs, site: "SKYEN", booth: 5), client: pseudonym(7),
                           gender: .male, age: 41, municipality: 147, substance: .heroin,
                           route: .injection)),
            .boothRelease(BoothRelease(header: header(offsetMs + 1, site: "SKYEN", booth: 5))),
            .incident(Incident(header: header(offsetMs + 2, site: "H17", booth: 2), kind: .overdose,
                               victimGender: .female, victimRole: .client, client: pseudonym(8),
                               overdoseResponse: .naloxone)),
            .incident(Incident(header: header(offsetMs + 3, site: "MOBILE"), kind: .needleStickInjury,
                               victimGender: .other, victimRole: .staff, client: nil)),
            .referral(Referral(header: header(offsetMs + 4, site: "H17"), client: pseudonym(9),
                               gender: .female, target: .outreachAssessment)),
        ]
    }

    static func openStore(_ dir: TempDirectory, logger: Logger = Logger(label: "test.store"),
                          settings: StoreSettings = StoreSettings()) throws -> EventStore {
        try EventStore(directory: dir.path, calendar: calendar, logger: logger, settings: settings)
    }
}

/// Waits until `condition` holds, polling; false when the deadline passes first.
func eventually(within limit: Duration = .seconds(20), _ condition: () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + limit
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(1))
    }
    return condition()
}
