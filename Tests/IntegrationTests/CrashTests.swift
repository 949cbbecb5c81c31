import DCRClient
import DCRModel
import DCRWire
import Foundation
import Synchronization
import Testing

/// Issue 3, acceptance 1: SIGKILL while several connections stream loses nothing acknowledged
/// and stores nothing twice, over many kill points on one state directory.
@Suite("SIGKILL of the real dcrd while terminals stream", .serialized)
struct CrashTests {
    static let sites: [(code: String, capacity: UInt32)] = [("H17", 12), ("SKYEN", 6), ("MOBILE", 2)]
    static let connections = 4
    static let window = 48
    static let killPoints = 22

    enum Outcome: Sendable, Equatable {
        case stored, duplicate, lost
        case other(String)
    }

    final class Counter: Sendable { let value = Atomic<Int>(0) }

    /// What one connection sends in one round and what became of each event.
    struct Round: Sendable {
        var events: [Event]
        /// Events resent although acknowledged before: they must come back as duplicates.
        var known: Set<EventID>
    }

    @Test("22 seeded kill points: every event sent is stored and counted exactly once")
    func killAndResend() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()

        var rng = SplitMix64(seed: 0xC0FFEE_03)
        var factories = (0..<Self.connections).map { EventFactory(seed: 1000 + UInt64($0)) }
        var nextN = [Int](repeating: 0, count: Self.connections)
        var sent: [EventID: Event] = [:]
        var acked = Set<EventID>()
        var pending: [[Event]] = Array(repeating: [], count: Self.connections)
        var killedWithUnacked = 0

        for point in 0...Self.killPoints {
            let final = point == Self.killPoints
            // Each connection's round: what it has not seen acknowledged, new events, and a few
            // acknowledged ones again.
            var rounds: [Round] = []
            let ackedList = Array(acked)
            for c in 0..<Self.connections {
                var events = pending[c]
                pending[c] = []
                let fresh = final ? 200 : 300 + Int(rng.next() % 400)
                for _ in 0..<fresh {
                    let n = nextN[c]
                    nextN[c] += 1
                    let s = Self.sites[n % Self.sites.count]
                    let e = factories[c].event(n, site: s.code, capacity: s.capacity)
                    sent[e.id] = e
                    events.append(e)
                }
                var known = Set<EventID>()
                if !ackedList.isEmpty {
                    for _ in 0..<20 { known.insert(ackedList[Int(rng.next() % UInt64(ackedList.count))]) }
                    events.insert(contentsOf: known.compactMap { sent[$0] }, at: events.count / 2)
                }
                rounds.append(Round(events: events, known: known))
            }
            let total = rounds.reduce(0) { $0 + $1.events.count }
            let killAfter = final ? Int.max : 50 + Int(rng.next() % UInt64(max(1, total - 200)))
            let answered = Counter()

            let results = try await withThrowingTaskGroup(of: (Int, [Outcome]).self) { group in
                for c in 0..<Self.connections {
                    let round = rounds[c]
                    group.addTask {
                        guard let conn = try? await daemon.connect(role: .terminal, tcp: c % 2 == 1) else {
                            return (c, [Outcome](repeating: .lost, count: round.events.count))  // killed before it connected
                        }
                        let outcomes = await Self.stream(round.events, on: conn, answered: answered)
                        await conn.close()
                        return (c, outcomes)
                    }
                }
                if !final {
                    _ = try await eventually("\(killAfter) answers before kill point \(point)", timeout: .seconds(30)) {
                        answered.value.load(ordering: .relaxed) >= killAfter ? true : nil
                    }
                    try await daemon.kill9()
                }
                var all = [[Outcome]](repeating: [], count: Self.connections)
                for try await (c, o) in group { all[c] = o }
                return all
            }

            var unacked = 0
            for c in 0..<Self.connections {
                for (e, o) in zip(rounds[c].events, results[c]) {
                    switch o {
                    case .stored:
                        #expect(!acked.contains(e.id), "\(e.id) acknowledged as new twice (kill point \(point))")
                        acked.insert(e.id)
                    case .duplicate:
                        // A resend of what was stored but not acknowledged before a kill, or a known one.
                        acked.insert(e.id)
                    case .lost:
                        #expect(!final, "the last round has no kill")
                        if !acked.contains(e.id) { pending[c].append(e); unacked += 1 }
                    case .other(let what):
                        Issue.record("unexpected answer for \(e.id) at kill point \(point): \(what)")
                        if !acked.contains(e.id) { pending[c].append(e) }
                    }
                    if rounds[c].known.contains(e.id), o == .stored {
                        Issue.record("an acknowledged event was stored again: \(e.id)")
                    }
                }
            }
            if unacked > 0 { killedWithUnacked += 1 }
            if !final { try await daemon.start() }
        }

        #expect(killedWithUnacked >= Self.killPoints / 2, "most kills should land with events in flight")
        #expect(pending.allSatisfy { $0.isEmpty })
        #expect(acked == Set(sent.keys), "acknowledged \(acked.count) of \(sent.count)")

        // Stored and counted: exactly the sent events, each once.
        let all = Array(sent.values)
        let monitor = try await daemon.connect(role: .monitor)
        guard case .status(let status) = try await monitor.send(.status).body else { Issue.record("no status"); return }
        for kind in EventKind.allCases {
            #expect(status.eventsStored[kind, default: 0] == UInt64(all.filter { $0.kind == kind }.count), "\(kind)")
        }
        guard case .load(let load) = try await monitor.send(.load(site: nil)).body else { Issue.record("no load"); return }
        for site in load.sites {
            let here = all.filter { $0.header.site == site.site }
            #expect(site.intakesToday == UInt32(here.filter { $0.kind == .intake }.count), "\(site.site) intakes today")
            #expect(site.incidentsToday == UInt32(here.filter { $0.kind == .incident }.count), "\(site.site) incidents")
            #expect(site.referralsToday == UInt32(here.filter { $0.kind == .referral }.count), "\(site.site) referrals")
        }
        let today = LocalDate(year: 2026, month: 3, day: 13)
        for measure in [Measure.intakes, .incidents, .referrals] {
            let kind: EventKind = measure == .intakes ? .intake : measure == .incidents ? .incident : .referral
            let answer = try await monitor.send(.report(ReportQuery(measure: measure, from: today, to: today, groupBy: [.site]))).body
            guard case .report(let report) = answer else { Issue.record("no report: \(answer)"); continue }
            #expect(report.total == UInt64(all.filter { $0.kind == kind }.count), "\(measure) total")
            for row in report.rows {
                #expect(row.count == UInt64(all.filter { $0.kind == kind && $0.header.site == row.keys.first }.count), "\(measure) \(row.keys)")
            }
        }

        // Resending everything stores nothing: every answer is a duplicate.
        let terminal = try await daemon.connect(role: .terminal)
        var start = 0
        var notDuplicate = 0
        while start < all.count {
            let part = all[start..<min(all.count, start + 2000)]
            let answers = try await terminal.sendAll(part.map { .event($0) })
            notDuplicate += answers.filter { $0.body != .ack(duplicate: true) }.count
            start += part.count
        }
        #expect(notDuplicate == 0)
        guard case .status(let after) = try await monitor.send(.status).body else { Issue.record("no status"); return }
        #expect(after.eventsStored == status.eventsStored)
        await terminal.close()
        await monitor.close()
        #expect(try await daemon.stop() == 0)
    }

    /// Sends `events` in pipelined windows until done or the connection dies; what was never
    /// answered is `.lost`.
    static func stream(_ events: [Event], on c: DaemonConnection, answered: Counter) async -> [Outcome] {
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(events.count)
        var start = 0
        while start < events.count {
            let batch = Array(events[start..<min(events.count, start + window)])
            start += batch.count
            let got = await withTaskGroup(of: (Int, Outcome).self) { group in
                for (k, e) in batch.enumerated() {
                    group.addTask {
                        do {
                            let r = try await c.send(.event(e))
                            switch r.body {
                            case .ack(duplicate: false, _): return (k, .stored)
                            case .ack(duplicate: true, _): return (k, .duplicate)
                            default:
                                // UNAVAILABLE from a store closing under a kill is not an ack either.
                                if r.error?.code == .unavailable { return (k, .lost) }
                                return (k, .other("\(r)"))
                            }
                        } catch {
                            return (k, .lost)
                        }
                    }
                }
                var byIndex = [Outcome](repeating: .lost, count: batch.count)
                for await (k, o) in group { byIndex[k] = o }
                return byIndex
            }
            answered.value.add(got.filter { $0 != .lost }.count, ordering: .relaxed)
            outcomes += got
            if got.contains(.lost) { break }
        }
        outcomes += Array(repeating: Outcome.lost, count: events.count - outcomes.count)
        return outcomes
    }
}
