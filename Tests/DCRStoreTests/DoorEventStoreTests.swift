import DCRModel
import DCRStore
import Foundation
import GRDB
import Testing

/// Turn-aways, suspensions and lifts in the store, and databases written before they existed.
@Suite("Door events in the store")
struct DoorEventStoreTests {
    static func doorEvents() -> [Event] {
        let suspension = Suspension(header: Fixtures.header(10, site: "H17"), client: Fixtures.pseudonym(4),
                                    fromMs: Fixtures.baseMs, untilMs: Fixtures.baseMs + 3_600_000,
                                    reason: .threat, allSites: true)
        return [
            .turnAway(TurnAway(header: Fixtures.header(0, site: "SKYEN"), reason: .firstTimeUser,
                               client: nil, gender: .female, age: 17)),
            .turnAway(TurnAway(header: Fixtures.header(5, site: "H17"), reason: .suspended,
                               client: Fixtures.pseudonym(4), gender: .male, age: 44)),
            .suspension(suspension),
            .suspensionLift(SuspensionLift(header: Fixtures.header(20, site: "H17"), suspensionID: suspension.header.id)),
        ]
    }

    @Test("turn-aways, suspensions and lifts come back from replay with every field")
    func roundTrip() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let events = Self.doorEvents()
        do {
            let store = try Fixtures.openStore(dir)
            defer { store.close() }
            for e in events { #expect(await store.append(e, receivedAtMs: 0) == .stored) }
        }
        let store = try Fixtures.openStore(dir)
        defer { store.close() }
        var replayed: [Event] = []
        _ = try store.replay { replayed.append($0) }
        #expect(replayed == events)

        let queue = try DatabaseQueue(path: dir.file("events.sqlite"))
        let row = try queue.read { db in
            try Row.fetchOne(db, sql: """
                SELECT suspension_from_ms, suspension_until_ms, suspension_reason, suspension_all_sites, client
                FROM events WHERE kind = 6
                """)
        }
        #expect(row?[0] == Fixtures.baseMs)
        #expect(row?[1] == Fixtures.baseMs + 3_600_000)
        #expect(row?[2] == 2)
        #expect(row?[3] == 1)
        #expect((row?[4] as String?) == String(format: "%032x", 4))
    }

    @Test("a database written by the previous schema (v1) opens, migrates, keeps its events and takes door events")
    func previousSchemaMigrates() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        // Exactly what the v1 daemon wrote: its table, its migration record, one intake row.
        do {
            let queue = try DatabaseQueue(path: dir.file("events.sqlite"))
            try await queue.write { db in
                try db.execute(sql: """
                    CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                    INSERT INTO grdb_migrations VALUES ('v1: events and meta');
                    CREATE TABLE events (
                        seq INTEGER PRIMARY KEY,
                        event_id BLOB NOT NULL UNIQUE CHECK (length(event_id) = 16),
                        kind INTEGER NOT NULL, site TEXT NOT NULL, occurred_at_ms INTEGER NOT NULL,
                        received_at_ms INTEGER NOT NULL, local_date TEXT NOT NULL, local_hour INTEGER NOT NULL,
                        booth INTEGER NOT NULL, client TEXT, gender INTEGER, age INTEGER, municipality INTEGER,
                        substance INTEGER, route INTEGER, incident_kind INTEGER, victim_gender INTEGER,
                        victim_role INTEGER, overdose_response INTEGER, referral_target INTEGER, encoded BLOB);
                    CREATE INDEX events_by_time ON events (occurred_at_ms, seq);
                    CREATE INDEX events_by_day ON events (local_date, site);
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    INSERT INTO meta VALUES ('time_zone', 'Europe/Copenhagen');
                    """)
                try db.execute(sql: """
                    INSERT INTO events (event_id, kind, site, occurred_at_ms, received_at_ms, local_date,
                        local_hour, booth, client, gender, age, municipality, substance, route, encoded)
                    VALUES (?, 1, 'H17', ?, ?, '2024-03-01', 13, 3, ?, 2, 34, 101, 2, 2, x'00')
                    """, arguments: [Data(repeating: 7, count: 16), Fixtures.baseMs, Fixtures.baseMs,
                                     String(format: "%032x", 1)])
            }
        }
        let store = try Fixtures.openStore(dir)
        defer { store.close() }
        let turnAway = Self.doorEvents()[0]
        #expect(await store.append(turnAway, receivedAtMs: 0) == .stored)
        var replayed: [Event] = []
        _ = try store.replay { replayed.append($0) }
        #expect(replayed.count == 2)
        guard case .intake(let old)? = replayed.first else { Issue.record("the v1 intake is gone: \(replayed)"); return }
        #expect(old.header.id == EventID(bytes: Data(repeating: 7, count: 16)))
        #expect(old.age == 34 && old.gender == .female && old.substance == .cocaine)
        #expect(replayed.last == turnAway)
        let queue = try DatabaseQueue(path: dir.file("events.sqlite"))
        let migrations = try await queue.read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }
        #expect(migrations.contains("v3-door: turn-aways and suspensions"))
        #expect(migrations.contains("v3-corrections: void, amend, referral outcome"))
    }
}
