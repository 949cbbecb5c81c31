import DCRModel
import DCRStore
import Foundation
import Testing

/// What corrections cost at start-up: replay of the same stored history with and without 5 %
/// of its events corrected (half voids, half amends), side by side in one run, as a ratio.
/// Not part of the normal run: `DCR_STORE_BENCH=1 swift test --filter CorrectionReplayBenchmark`.
@Suite("Correction replay benchmark", .serialized, .enabled(if: ProcessInfo.processInfo.environment["DCR_STORE_BENCH"] != nil))
struct CorrectionReplayBenchmarkTests {
    static func fill(_ dir: TempDirectory, events n: Int, correctedEvery: Int?) async throws {
        let store = try Fixtures.openStore(dir)
        defer { store.close() }
        var batch: [Event] = []
        for i in 0..<n {
            let e = Fixtures.intake(Int64(i) * 1000, client: Fixtures.pseudonym(i % 500))
            batch.append(e)
            if let every = correctedEvery, i % every == 0 {
                let header = Fixtures.header(Int64(n) * 1000 + Int64(i))
                if i % (2 * every) == 0 {
                    batch.append(.voiding(Voiding(header: header, targetID: e.id, reason: .enteredTwice)))
                } else {
                    var corrected = Fixtures.intake(Int64(i) * 1000, client: Fixtures.pseudonym(7), id: e.id)
                    corrected.header.site = "SKYEN"
                    batch.append(.amend(Amend(header: header, targetID: e.id, reason: .wrongClient, corrected: corrected)))
                }
            }
        }
        for e in batch { _ = await store.append(e, receivedAtMs: 0) }
    }

    static func replaySeconds(_ dir: TempDirectory) throws -> (Double, Int) {
        let store = try Fixtures.openStore(dir)
        defer { store.close() }
        var counted = 0
        let summary = try store.replay { _ in counted += 1 }
        let d = summary.duration.components
        return (Double(d.seconds) + Double(d.attoseconds) / 1e18, counted)
    }

    @Test("replay of 20,000 intakes: 5 % corrected against none")
    func replayWithCorrections() async throws {
        let plain = try TempDirectory(), corrected = try TempDirectory()
        defer { plain.remove(); corrected.remove() }
        let n = 20_000
        try await Self.fill(plain, events: n, correctedEvery: nil)
        try await Self.fill(corrected, events: n, correctedEvery: 20)
        for round in 1...2 {
            let (a, countedA) = try Self.replaySeconds(plain)
            let (b, countedB) = try Self.replaySeconds(corrected)
            #expect(countedA == n)
            #expect(countedB == n - n / 40)
            print("BENCH correction-replay round \(round): none \(String(format: "%.3f", a)) s, 5 % corrected \(String(format: "%.3f", b)) s, ratio \(String(format: "%.2f", b / a))")
        }
    }
}
