@testable import DCRServer
import DCRConfig
import DCRModel
import DCRWire
import Foundation
import NIOPosix
import Testing

/// Reports step aside while acknowledgements are owed (issue 10, acceptance 5).
@Suite("Reports wait for owed acknowledgements")
struct StepAsideTests {
    /// A clock that only waits move, and a debt that a given wait pays.
    final class Scene: @unchecked Sendable {
        let owed = OwedAcknowledgements()
        var nowNs: UInt64 = 1_000_000_000
        var waits = 0
        var payOnWait: Int?

        func stepAside() -> StepAside {
            StepAside(owed: owed, now: { self.nowNs }, waitUntilPaid: { deadline in
                self.waits += 1
                if self.waits == self.payOnWait {
                    self.nowNs += 150_000
                    self.owed.paid(1)
                    return true
                }
                self.nowNs = deadline
                return false
            })
        }
    }

    @Test("nothing owed: a report never waits between days")
    func nothingOwed() {
        let s = Scene()
        var aside = s.stepAside()
        for _ in 0..<1_000 { aside.betweenDays() }
        #expect(s.waits == 0)
    }

    @Test("an acknowledgement owed: the report waits until it is paid, then goes on at once")
    func waitsUntilPaid() {
        let s = Scene()
        s.owed.owe()
        s.payOnWait = 1
        var aside = s.stepAside()
        aside.betweenDays()
        #expect(s.waits == 1 && !s.owed.any)
        aside.betweenDays()
        #expect(s.waits == 1, "paid: the next day runs at once")
        s.owed.owe()
        s.payOnWait = 2
        aside.betweenDays()
        #expect(s.waits == 2, "owed again: it waits again, no quantum after a wait that was paid")
    }

    @Test("always something owed: the report waits longestWait, then runs a quantum without looking, then waits again")
    func steadyIngestStillLetsReportsRun() {
        let s = Scene()
        s.owed.owe()
        var aside = s.stepAside()
        let start = s.nowNs
        aside.betweenDays()
        #expect(s.waits == 1 && s.nowNs == start + StepAside.longestWait)
        aside.betweenDays()
        s.nowNs += StepAside.quantum - 1
        aside.betweenDays()
        #expect(s.waits == 1, "within the quantum the report does not wait")
        s.nowNs += 1
        aside.betweenDays()
        #expect(s.waits == 2, "after the quantum it waits again")
    }

    @Test("many short waits add up: after longestWait in all, the report runs a quantum without looking")
    func shortWaitsAddUp() {
        let s = Scene()
        var aside = s.stepAside()
        // Each wait is paid after 150 µs (the scene's payment), and something is owed again at once.
        let waitsToBudget = Int((StepAside.longestWait + 149_999) / 150_000)
        for n in 1...waitsToBudget {
            s.owed.owe()
            s.payOnWait = n
            aside.betweenDays()
        }
        #expect(s.waits == waitsToBudget)
        s.owed.owe()
        aside.betweenDays()
        #expect(s.waits == waitsToBudget, "the budget is spent: a quantum of running")
        s.nowNs += StepAside.quantum
        s.payOnWait = waitsToBudget + 1
        aside.betweenDays()
        #expect(s.waits == waitsToBudget + 1, "after the quantum it waits again")
    }

    @Test("the real wait: paid from another thread, a waiting report wakes long before its deadline; unpaid, it gives up at the deadline")
    func realWait() async throws {
        let owed = OwedAcknowledgements()
        owed.owe()
        let payer = Thread { Thread.sleep(forTimeInterval: 0.02); owed.paid(1) }
        let start = StepAside.monotonicNow()
        payer.start()
        #expect(owed.waitUntilPaid(deadlineNs: start + 60_000_000_000))
        #expect(StepAside.monotonicNow() - start < 30_000_000_000, "woken by the payment, not the deadline")
        owed.owe()
        let again = StepAside.monotonicNow()
        #expect(!owed.waitUntilPaid(deadlineNs: again + 5_000_000))
        #expect(StepAside.monotonicNow() >= again + 5_000_000)
    }

    @Test("an event is owed from the moment it is read until its Ack is written; a refusal pays it too")
    func owedUntilWritten() throws {
        let c = try EmbeddedConversation()
        try c.hello()
        #expect(!c.core.owedAcknowledgements.any)
        c.log.hold()
        try c.send(Request(id: 2, .event(Room.intake(2))))
        #expect(c.core.owedAcknowledgements.any, "read, not yet answered")
        c.log.release()
        #expect(try c.answers().map(\.id) == [2])
        #expect(!c.core.owedAcknowledgements.any)
        c.log.refuse(site: "H17")
        try c.send(Request(id: 3, .event(Room.intake(3))))
        let refused = try c.answers()
        #expect(refused.map(\.id) == [3])
        #expect(refused.first?.error != nil, "the store's refusal, not an Ack")
        #expect(!c.core.owedAcknowledgements.any)
    }

    @Test("an Ack completed on another thread (the store's writer) pays when its event loop has written it")
    func paidThroughTheMailbox() async throws {
        let dir = NSTemporaryDirectory() + "dcr-step-aside-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let log = HeldEventLog()
        var configuration = Room.configuration()
        configuration.listen = [.unix(path: dir + "/dcrd.sock")]
        let core = DaemonCore(configuration: configuration, calendar: Room.calendar, log: log,
                              pseudonymize: { Pseudonym(text: "p:" + $0.rawValue) },
                              clock: DaemonClock(manual: ManualTime(startingAtMs: Room.startMs)),
                              version: "test", logger: Room.quiet, offLoop: .inline)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let server = DaemonServer(core: core, group: group, logger: Room.quiet)
        let listener = try await server.bind(.unix(path: dir + "/dcrd.sock"))
        let connection = try await WholeDaemonTests.connect(to: .unix(path: dir + "/dcrd.sock"), within: .seconds(30))

        log.hold()
        async let answer = connection.send(.event(Room.intake(1)))
        #expect(try await Self.within(.seconds(10)) { log.waitingCount == 1 })
        #expect(core.owedAcknowledgements.any)
        log.release()  // the completion runs here, on the test's thread, and goes through the mailbox
        let response = try await answer
        #expect(response.error == nil && response.body == .ack(duplicate: false), "\(response)")
        #expect(try await Self.within(.seconds(10)) { !core.owedAcknowledgements.any })
        await connection.close()
        try await listener.close()
        try await group.shutdownGracefully()
    }

    /// Polls `condition` every millisecond until it holds or `deadline` passes.
    static func within(_ deadline: Duration, _ condition: () -> Bool) async throws -> Bool {
        let end = ContinuousClock.now + deadline
        while !condition() {
            if ContinuousClock.now > end { return false }
            try await Task.sleep(for: .milliseconds(1))
        }
        return true
    }
}
