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
/// writes the next event, all the events of one `read(2)` answered with one `write(2)`. Frames
/// are patched from pre-encoded templates (`FrameTemplates`) and answers are only scanned for
/// their Ack (`isAck`): about 0.4 µs of CPU per event, printed as `client-cpu-us/event`.
/// An event counts when its Ack arrives (after its commit's fsync).
enum WireThroughput {
    static func run(_ o: Options) -> Never {
        let window = max(1, o.inFlight)
        let acked = Atomic<Int>(0)
        // Every Ack of the run, warm-up included: what a CPU figure taken over the daemon's whole
        // load (as `ingest-vs-redis.sh` takes it) must be divided by.
        let allAcked = Atomic<Int>(0)
        let failed = Atomic<Int>(0)
        let measuring = Atomic<Bool>(false)
        let stop = Atomic<Bool>(false)
        let finished = Atomic<Int>(0)
        let sockets = (0..<max(1, o.connections)).map { _ in RawSocket.connectUnix(o.socket) }
        for fd in sockets { RawSocket.exchangeHello(fd) }
        let site = o.site, booths = o.booths, v7 = o.ids != "v4"
        for fd in sockets {
            Thread {
                var frames = FrameTemplates(site: site, booths: booths, v7: v7)
                var out = ByteBuffer()
                func send(_ n: Int) {
                    out.clear()
                    frames.append(n, nowMs: SystemClock.realtimeMs() - 1000, into: &out)
                    RawSocket.writeAll(fd, out)
                }
                send(window)
                var outstanding = window
                var stream = FrameStream()
                while outstanding > 0 {
                    guard stream.fill(fd) else { RawSocket.fail("the daemon closed the connection") }
                    var answered = 0, acks = 0
                    while let ack = stream.nextIsAck() {
                        answered += 1
                        if ack { acks += 1 }
                    }
                    allAcked.add(acks, ordering: .relaxed)
                    if measuring.load(ordering: .relaxed) {
                        acked.add(acks, ordering: .relaxed)
                        if answered > acks { failed.add(answered - acks, ordering: .relaxed) }
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
        let cpuBefore = RawSocket.cpuUs()
        let start = SystemClock.monotonicNs()
        RawSocket.sleepUntil(start + UInt64(o.seconds * 1e9))
        let n = acked.load(ordering: .relaxed), bad = failed.load(ordering: .relaxed)
        let elapsed = Double(SystemClock.monotonicNs() - start) / 1e9
        let cpu = Double(RawSocket.cpuUs() - cpuBefore)
        stop.store(true, ordering: .relaxed)
        RawSocket.waitForAnswers(until: { finished.load(ordering: .relaxed) >= sockets.count }, "answers missing 30 s after the run")
        print(String(format: "wire-throughput ids=%@ connections=%d in-flight=%d acked=%d failed=%d seconds=%.2f acked/s=%.0f client-cpu-us/event=%.1f all-acked=%d",
                     o.ids, sockets.count, window, n, bad, elapsed, Double(n) / elapsed, cpu / Double(max(n, 1)),
                     allAcked.load(ordering: .relaxed)))
        exit(bad == 0 ? 0 : 1)
    }
}
