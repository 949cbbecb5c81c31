import DCRModel
import DCRStore
import Foundation
import GRDB
import Testing

@Suite("Keeping a year as aggregates")
struct RetentionStoreTests {
    /// 2024's events: intakes of clients of many ages (a cell each), and one of every kind.
    static func year(_ store: EventStore) async throws {
        for i in 0..<40 {
            let event = Event.intake(Intake(header: Fixtures.header(Int64(i) * 3_600_000, booth: 1),
                                            client: Fixtures.pseudonym(i % 7), gender: .female, age: UInt32(18 + i),
                                            municipality: 101, substance: .cocaine, route: .smoking))
            #expect(await store.append(event, receivedAtMs: 0) == .stored)
        }
        for event in Fixtures.allKinds(startingAt: 86_400_000) {
            #expect(await store.append(event, receivedAtMs: 0) == .stored)
        }
    }

    static func sorted(_ kept: RetainedAggregates) -> (events: [String], clients: [String]) {
        (kept.events.map { "\($0)" }.sorted(), kept.clients.map { "\($0)" }.sorted())
    }

    @Test("written in transactions of one row each, a year's aggregates equal those written at once")
    func smallTransactions() async throws {
        let one = try TempDirectory(), all = try TempDirectory()
        defer { one.remove(); all.remove() }
        let small = try Fixtures.openStore(one), big = try Fixtures.openStore(all)
        defer { small.close(); big.close() }
        try await Self.year(small)
        try await Self.year(big)

        var pauses = 0
        let keptSmall = try small.aggregateYear(2024, nowMs: 1, batch: 1, between: { pauses += 1 })
        let keptBig = try big.aggregateYear(2024, nowMs: 1, batch: 1_000_000)
        #expect(keptSmall.events.count > 40, "about a cell per intake")
        #expect(keptSmall.events.count == keptBig.events.count && keptSmall.clients.count == keptBig.clients.count)
        #expect(pauses >= keptSmall.events.count + keptSmall.clients.count - 1,
                "a pause after every transaction but the last: \(pauses)")
        let a = Self.sorted(try small.retainedAggregates()), b = Self.sorted(try big.retainedAggregates())
        #expect(a.events == b.events)
        #expect(a.clients == b.clients)
        #expect(try small.retainedAggregates().years == [2024])
    }

    @Test("what an interrupted aggregation left is not counted, and the next pass replaces it")
    func interrupted() async throws {
        let dir = try TempDirectory(), twin = try TempDirectory()
        defer { dir.remove(); twin.remove() }
        let store = try Fixtures.openStore(dir), reference = try Fixtures.openStore(twin)
        defer { store.close(); reference.close() }
        try await Self.year(store)
        try await Self.year(reference)

        // Rows of 2024 as a pass killed before it marked the year would leave them.
        let stray = try DatabaseQueue(path: dir.file("events.sqlite"))
        try await stray.write { db in
            try db.execute(sql: """
                INSERT INTO aggregate_events (local_date, local_hour, site, kind, gender, age, municipality, substance,
                    route, incident_kind, victim_gender, victim_role, overdose_response, referral_target, events)
                VALUES ('2024-03-01', 13, 'H17', 1, 2, 34, 101, 1, 1, 0, 0, 0, 0, 0, 999)
                """)
            try db.execute(sql: """
                INSERT INTO aggregate_clients (year, month, site, gender, age_band, municipality, clients)
                VALUES (2024, 0, '', 2, 3, 101, 999)
                """)
        }
        try stray.close()
        let before = try store.retainedAggregates()
        #expect(before.years.isEmpty)
        #expect(before.events.isEmpty, "an unmarked year's rows are not counted")
        #expect(before.clients.isEmpty)

        _ = try store.aggregateYear(2024, nowMs: 1, batch: 3)
        _ = try reference.aggregateYear(2024, nowMs: 1, batch: 3)
        let after = Self.sorted(try store.retainedAggregates()), expected = Self.sorted(try reference.retainedAggregates())
        #expect(after.events == expected.events, "the stray rows are gone, the year's own are there")
        #expect(after.clients == expected.clients)
        #expect(!after.events.contains { $0.contains("events: 999") })
    }
}
