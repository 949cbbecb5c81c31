import DCRModel
import DCRWire
import Foundation
import NIOCore
import Synchronization

/// `dcr-load wire-throughput`: acknowledged events per second with `connections` × `in-flight`
/// events outstanding, driven by a lean client.
///
/// `throughput` (through `DaemonConnection`, a task per outstanding event) spends about 15 µs of
/// CPU per event on this machine, three quarters of a core at 50k/s, on the same two cores as
/// the daemon. `redis-benchmark` spends a small fraction of that, so comparing dcrd driven by the
/// heavy client with Redis driven by the light one measured mostly the clients. Here each
/// connection is one thread: it writes its window of events, and for every Ack it reads it
/// writes the next event, all the events of one `read(2)` answered with one `write(2)`.
/// An event counts when its Ack arrives (after its commit's fsync).
enum WireThroughput {
    static func run(_ o: Options) -> Never {
        let window = max(1, o.inFlight)
        let acked = Atomic<Int>(0)
        let failed = Atomic<Int>(0)
        let measuring = Atomic<Bool>(false)
        let stop = Atomic<Bool>(false)
        let finished = Atomic<Int>(0)
        let sockets = (0..<max(1, o.connections)).map { _ in RawSocket.connectUnix(o.socket) }
        for fd in sockets { RawSocket.exchangeHello(fd) }
        let site = o.site, booths = o.booths, v7 = o.ids != "v4"
        for fd in sockets {
            Thread {
                var maker = EventMaker(ids: IDMaker(v7: v7), site: site, booths: booths)
                var nextID: UInt64 = 1
                var out = ByteBuffer()
                func send(_ n: Int) {
                    out.clear()
                    for _ in 0..<n {
                        WireCodec.writeRequestFrame(Request(id: nextID, .event(maker.next())), into: &out)
                        nextID += 1
                    }
                    RawSocket.writeAll(fd, out)
                }
                send(window)
                var outstanding = window
                var stream = FrameStream()
                while outstanding > 0 {
                    guard stream.fill(fd) else { RawSocket.fail("the daemon closed the connection") }
                    var answered = 0
                    while let response = stream.next() {
                        answered += 1
                        if !measuring.load(ordering: .relaxed) { continue }
                        if case .ack = response.body { acked.add(1, ordering: .relaxed) } else { failed.add(1, ordering: .relaxed) }
                    }
                    outstanding -= answered
                    if !stop.load(ordering: .relaxed) && answered > 0 {
                        send(answered)
                        outstanding += answered
                    }
                }
                finished.add(1, ordering: .relaxed)
            }.start()
        }
        // A second of warm-up (the page cache, SQLite's cache, the allocator), then the measured run.
        usleep(1_000_000)
        measuring.store(true, ordering: .relaxed)
        let start = SystemClock.monotonicNs()
        RawSocket.sleepUntil(start + UInt64(o.seconds * 1e9))
        let n = acked.load(ordering: .relaxed), bad = failed.load(ordering: .relaxed)
        let elapsed = Double(SystemClock.monotonicNs() - start) / 1e9
        stop.store(true, ordering: .relaxed)
        RawSocket.waitForAnswers(until: { finished.load(ordering: .relaxed) >= sockets.count }, "answers missing 30 s after the run")
        print(String(format: "wire-throughput ids=%@ connections=%d in-flight=%d acked=%d failed=%d seconds=%.2f acked/s=%.0f",
                     o.ids, sockets.count, window, n, bad, elapsed, Double(n) / elapsed))
        exit(bad == 0 ? 0 : 1)
    }
}
