import DCRModel
import DCRStore
import Foundation
import Testing

/// What retention must never delete, whatever the dates say: the newest event (its sequence
/// number would be handed out again, and a forwarder past it would skip the next event), and
/// events the central PostgreSQL does not have yet.
@Suite("Retention's guards for the forwarder")
struct RetentionGuardTests {
    static let afterAll = LocalDate(year: 2100, month: 1, day: 1)

    static func fill(_ store: EventStore, _ n: Int) async {
        for i in 0..<n {
            #expect(await store.append(Fixtures.intake(Int64(i) * 60_000), receivedAtMs: 0) == .stored)
        }
    }

    static func sequences(_ store: EventStore) throws -> [Int64] {
        let reader = try store.forwardReader()
        defer { reader.close() }
        return try store.forwardRows(after: 0, limit: 1000, reader: reader).map(\.seq)
    }

    @Test("every event older than the cutoff goes but the newest; the next event gets a new number")
    func newestStays() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Fixtures.openStore(dir)
        defer { store.close() }
        await Self.fill(store, 5)
        var deleted = 0
        while case let n = try store.deleteRawEvents(before: Self.afterAll, limit: 2), n > 0 { deleted += n }
        #expect(deleted == 4)
        #expect(try Self.sequences(store) == [5])
        #expect(await store.append(Fixtures.intake(1_000_000), receivedAtMs: 0) == .stored)
        #expect(try Self.sequences(store) == [5, 6], "never a number a forwarder has passed")
    }

    @Test("with a forwarder, nothing after its central cursor is deleted, until the cursor moves")
    func unforwardedStay() async throws {
        let dir = try TempDirectory()
        defer { dir.remove() }
        let store = try Fixtures.openStore(dir)
        defer { store.close() }
        await Self.fill(store, 6)
        store.setRetentionCeiling(2)
        var deleted = 0
        while case let n = try store.deleteRawEvents(before: Self.afterAll, limit: 10), n > 0 { deleted += n }
        #expect(deleted == 2)
        #expect(try Self.sequences(store) == [3, 4, 5, 6])
        store.setRetentionCeiling(6)
        #expect(try store.deleteRawEvents(before: Self.afterAll, limit: 10) == 3)
        #expect(try Self.sequences(store) == [6])
    }
}
