import DCRModel
import DCRWire
import Foundation
import NIOCore
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `dcr-load wire-latency`: acknowledgement latency measured by a client that adds as little of
/// its own as it can, so that what it prints is the daemon's.
///
/// The `latency` mode goes through `DaemonConnection` (NIO, a task per event, a continuation per
/// answer): on this 2-core machine that client's own hops are a few hundred microseconds of every
/// figure. Here one thread writes each frame with `write(2)` at its due time (pacing with
/// `clock_nanosleep` on an absolute deadline) and another blocks in `read(2)`
/// for the answers, matching them by request id. Latency runs from just before the `write` to
/// the moment the Ack's bytes are read. The sender never waits for an answer, so a slow daemon
/// cannot slow the sending (no coordinated omission); how late the sender itself woke is printed
/// as `late-p99`, so a reader can see that the pacing held.
enum WireLatency {
    static func run(_ o: Options) -> Never {
        let fd = RawSocket.connectUnix(o.socket)
        RawSocket.exchangeHello(fd)
        let total = Int(o.rate * o.seconds)
        let interval = UInt64(1e9 / o.rate)
        let sentAt = UnsafeMutablePointer<UInt64>.allocate(capacity: total + 1)
        sentAt.initialize(repeating: 0, count: total + 1)
        let latencies = UnsafeMutablePointer<UInt64>.allocate(capacity: total)
        let received = Atomic<Int>(0)
        let failed = Atomic<Int>(0)
        nonisolated(unsafe) let sent = sentAt, lat = latencies

        let reader = Thread {
            var stream = FrameStream()
            while received.load(ordering: .relaxed) + failed.load(ordering: .relaxed) < total {
                guard stream.fill(fd) else { RawSocket.fail("the daemon closed the connection") }
                while let response = stream.next() {
                    let t = SystemClock.monotonicNs()
                    guard response.id >= 1, response.id <= UInt64(total) else { continue }
                    if case .ack = response.body {
                        let n = received.add(1, ordering: .relaxed).newValue
                        lat[n - 1] = t - sent[Int(response.id)]
                    } else {
                        failed.add(1, ordering: .relaxed)
                    }
                }
            }
        }
        reader.start()

        var maker = EventMaker(ids: IDMaker(v7: o.ids != "v4"), site: o.site, booths: o.booths)
        var lateness: [UInt64] = []
        lateness.reserveCapacity(total)
        let start = SystemClock.monotonicNs() + 50_000_000
        for i in 1...max(1, total) where total > 0 {
            var frame = ByteBuffer()
            WireCodec.writeRequestFrame(Request(id: UInt64(i), .event(maker.next())), into: &frame)
            let due = start + UInt64(i - 1) * interval
            RawSocket.sleepUntil(due)
            let t = SystemClock.monotonicNs()
            lateness.append(t > due ? t - due : 0)
            sent[i] = t
            RawSocket.writeAll(fd, frame)
        }
        RawSocket.waitForAnswers(until: { received.load(ordering: .relaxed) + failed.load(ordering: .relaxed) >= total },
                                 "answers missing 30 s after the last event")
        let n = received.load(ordering: .relaxed)
        let sorted = Array(UnsafeBufferPointer(start: lat, count: n)).sorted()
        lateness.sort()
        print(String(format: "wire-latency rate=%.0f/s ids=%@ acked=%d failed=%d p50=%.0fus p99=%.0fus p99.9=%.0fus max=%.0fus late-p99=%.0fus",
                     o.rate, o.ids, n, failed.load(ordering: .relaxed),
                     percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 99.9), percentile(sorted, 100),
                     percentile(lateness, 99)))
        exit(failed.load(ordering: .relaxed) == 0 ? 0 : 1)
    }
}
