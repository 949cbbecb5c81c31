import DCRClient
import DCRModel
import DCRWire
import Foundation
import NIOCore
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 4, acceptance 5: SIGTERM while terminals stream loses nothing that was acknowledged and
/// leaves no request without an answer or a closed connection.
@Suite("Graceful stop of the real dcrd under load", .serialized)
struct GracefulStopTests {
    enum Outcome: Sendable, Equatable {
        case acked
        case unavailable
        case closed
        case other(String)
    }

    final class Progress: Sendable {
        let acked = Atomic<Int>(0)
        let streaming = Atomic<Int>(0)
    }

    static let connections = 8
    static let window = 64

    @Test("SIGTERM while 8 connections stream: exit 0, every acknowledged event stored, every other one answered UNAVAILABLE or its connection closed")
    func sigtermWhileStreaming() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let progress = Progress()
        let giveUp = ContinuousClock.now + .seconds(30)

        let streams = try await withThrowingTaskGroup(of: [(Event, Outcome)].self) { group in
            for i in 0..<Self.connections {
                group.addTask {
                    let c = try await daemon.connect(role: .terminal, tcp: i % 2 == 1)
                    return await Self.stream(on: c, seed: UInt64(100 + i), progress: progress, until: giveUp)
                }
            }
            // Stop in the middle of the stream: once every connection has had answers and a few
            // thousand events are acknowledged.
            let deadline = ContinuousClock.now + .seconds(20)
            while progress.streaming.load(ordering: .relaxed) < Self.connections || progress.acked.load(ordering: .relaxed) < 4000 {
                guard ContinuousClock.now < deadline else { throw HarnessError("the streams did not get going:\n\(daemon.log)") }
                try await Task.sleep(for: .milliseconds(5))
            }
            daemon.signal(SIGTERM)
            var all: [[(Event, Outcome)]] = []
            for try await s in group { all.append(s) }
            return all
        }
        #expect(try await daemon.waitForExit(timeout: .seconds(30)) == 0, "\(daemon.log)")
        #expect(daemon.log.contains("stopping: finishing requests in flight"))
        #expect(!daemon.log.contains("closing connections that did not finish in time"), "\(daemon.log)")

        let outcomes = streams.flatMap { $0 }
        let acked = outcomes.filter { $0.1 == .acked }.map(\.0)
        let unavailable = outcomes.filter { $0.1 == .unavailable }.count
        let closed = outcomes.filter { $0.1 == .closed }.count
        let others = outcomes.filter { if case .other = $0.1 { true } else { false } }
        #expect(others.isEmpty, "answers other than an ack or UNAVAILABLE: \(others.prefix(5).map(\.1))")
        #expect(streams.allSatisfy { $0.contains { $0.1 == .closed } }, "every stream ends with its connection closed by the daemon")
        #expect(acked.count >= 4000)

        // Restart on the same state directory: everything acknowledged is there.
        try await daemon.start()
        try await daemon.waitForLog(containing: "replayed the store events=")
        let monitor = try await daemon.connect(role: .monitor)
        guard case .status(let status) = try await monitor.send(.status).body else { Issue.record("no status"); return }
        let stored = Int(status.eventsStored.values.reduce(0, +))
        #expect(stored >= acked.count, "stored \(stored), acknowledged \(acked.count)")
        #expect(stored <= acked.count + closed + unavailable)
        let terminal = try await daemon.connect(role: .terminal)
        var chunk = 0
        while chunk < acked.count {
            let part = acked[chunk..<min(acked.count, chunk + 2000)]
            let answers = try await terminal.sendAll(part.map { .event($0) })
            let notDuplicate = zip(part, answers).filter { $0.1.body != .ack(duplicate: true) }
            #expect(notDuplicate.isEmpty, "acknowledged but not stored: \(notDuplicate.prefix(3).map { "\($0.0.header.id): \($0.1)" })")
            chunk += part.count
        }
        guard case .status(let after) = try await monitor.send(.status).body else { Issue.record("no status"); return }
        #expect(after.eventsStored == status.eventsStored, "resending acknowledged events stored nothing new")
        await terminal.close()
        await monitor.close()
        #expect(try await daemon.stop() == 0)
    }

    /// The connection closed under the request: an orderly close, or a reset because the daemon
    /// closed with requests it had stopped reading still in its receive queue.
    static func isClosed(_ error: any Error) -> Bool {
        if case ClientError.connectionClosed = error { return true }
        if let io = error as? IOError { return io.errnoCode == ECONNRESET || io.errnoCode == EPIPE }
        if let c = error as? ChannelError { return c == .ioOnClosedChannel || c == .alreadyClosed || c == .eof }
        return false
    }

    /// Sends windows of `window` concurrent events until the daemon closes the connection,
    /// recording what became of each event.
    static func stream(on c: DaemonConnection, seed: UInt64, progress: Progress,
                       until giveUp: ContinuousClock.Instant) async -> [(Event, Outcome)] {
        var factory = EventFactory(seed: seed)
        var n = 0
        var results: [(Event, Outcome)] = []
        var counted = false
        while ContinuousClock.now < giveUp {
            let batch = (0..<window).map { k in factory.event(n + k) }
            n += window
            let outcomes = await withTaskGroup(of: (Int, Outcome).self) { group in
                for (k, event) in batch.enumerated() {
                    group.addTask {
                        do {
                            let r = try await c.send(.event(event))
                            if r.body == .ack(duplicate: false) { return (k, .acked) }
                            if r.error?.code == .unavailable { return (k, .unavailable) }
                            return (k, .other("\(r)"))
                        } catch {
                            return (k, Self.isClosed(error) ? .closed : .other("\(error)"))
                        }
                    }
                }
                var byIndex = [Outcome](repeating: .closed, count: batch.count)
                for await (k, o) in group { byIndex[k] = o }
                return byIndex
            }
            results += zip(batch, outcomes).map { ($0, $1) }
            progress.acked.add(outcomes.filter { $0 == .acked }.count, ordering: .relaxed)
            if !counted && outcomes.contains(.acked) {
                counted = true
                progress.streaming.add(1, ordering: .relaxed)
            }
            if outcomes.contains(.closed) { break }
        }
        await c.close()
        return results
    }
}
