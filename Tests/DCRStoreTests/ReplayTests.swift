import DCRModel
import DCRStore
import Foundation
import GRDB
import Testing

@Suite("Replaying the store")
struct ReplayTests {
    @Test("replay returns every event of every kind with every field, in occurred order")
    func replayRoundTrip() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        // Two rounds of all kinds, appended late-first, plus two events at the same instant
        // (same instant: storage order decides).
        let early = Fixtures.allKinds(startingAt: 0)
        let late = Fixtures.allKinds(startingAt: 3_600_000)
        let tieA = Fixtures.intake(7_200_000)
        let tieB = Event.boothRelease(BoothRelease(header: Fixtures.header(7_200_000, booth: 3)))
        do {
            let store = try Fixtures.openStore(dir)
            defer { store.close() }
            for event in late + early + [tieA, tieB] {
                #expect(await store.append(event, receivedAtMs: 0) == .stored)
            }
        }
        let store = try Fixtures.openStore(dir)
        defer { store.close() }
        var replayed: [Event] = []
        let summary = try store.replay { replayed.append($0) }
        #expect(summary.count == 12)
        #expect(replayed == early + late + [tieA, tieB])
        #expect(replayed.allSatisfy { $0.isPseudonymous })
    }

    @Test("rows carry local date and hour in the configured zone and NULL where a field does not apply")
    func columnsForAnalysts() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Fixtures.openStore(dir)
        // 2024-03-31 00:30 UTC is 01:30 CET; 01:30 UTC is 03:30 CEST (clocks went forward at 02:00).
        let beforeSwitch: Int64 = 1_711_845_000_000
        let afterSwitch = beforeSwitch + 3_600_000
        var a = Fixtures.intake(), b = Event.boothRelease(BoothRelease(header: Fixtures.header()))
        a.header.occurredAtMs = beforeSwitch
        b.header.occurredAtMs = afterSwitch
        #expect(await store.append(a, receivedAtMs: 5) == .stored)
        #expect(await store.append(b, receivedAtMs: 6) == .stored)
        store.close()

        let queue = try DatabaseQueue(path: dir.file("events.sqlite"))
        defer { try? queue.close() }
        let rows = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM events ORDER BY seq")
        }
        #expect(rows.count == 2)
        #expect(rows[0]["local_date"] as String? == "2024-03-31")
        #expect(rows[0]["local_hour"] as Int? == 1)
        #expect(rows[1]["local_hour"] as Int? == 3)
        #expect(rows[0]["kind"] as Int? == 1)
        #expect(rows[0]["received_at_ms"] as Int64? == 5)
        #expect(rows[0]["substance"] as Int? == Int(Substance.cocaine.wireValue))
        #expect(rows[0]["incident_kind"] as Int? == nil)
        #expect(rows[1]["client"] as String? == nil)
        #expect(rows[1]["gender"] as Int? == nil)
        #expect(rows[0]["encoded"] as Data? == nil, "the archival column is no longer written")
        let zone = try await queue.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'time_zone'")
        }
        #expect(zone == "Europe/Copenhagen")
    }
}
