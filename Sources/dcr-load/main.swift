import DCRClient
import DCRConfig
import DCRModel
import DCRWire
import Foundation
import Synchronization

// dcr-load: measures acknowledged events per second and acknowledgement latency against a
// running dcrd. Every event counts only when its Ack arrives (the daemon acks after commit).
//
//   dcr-load throughput --socket PATH [--connections 1] [--in-flight 256] [--seconds 10] [--ids v7|v4]
//   dcr-load latency    --socket PATH --rate 1000 [--seconds 10] [--connections 1] [--ids v7|v4]
//   dcr-load wire-latency --socket PATH --rate 1000 [--seconds 10] [--ids v7|v4]
//   dcr-load wire-throughput --socket PATH [--connections 1] [--in-flight 256] [--seconds 10] [--ids v7|v4]
//                       (the wire-* modes: Unix socket only, a lean client of blocking threads, so
//                       that the figures are the daemon's; RawSocket.swift)
//   dcr-load reports    --socket PATH [--seconds 10]   (the heaviest report back to back, one connection)
//   dcr-load fill       --socket PATH --count 1000000 [--connections 8] [--in-flight 256]
//                       [--days-ago D --spread-days S]   (events dated D…D+S days back: old history)
//
// Instead of --socket: --connect tcp:HOST:PORT --token-file FILE, or --connect tls:HOST:PORT
// --ca FILE --cert FILE --key FILE (the terminal's certificate), to measure the network paths.
//
// Latency is measured from when an event was due (its paced send time) to its Ack, so a stall
// is not hidden by sending later (no coordinated omission).

struct Options {
    var mode = "throughput"
    var socket = "/run/dcr/dcrd.sock"
    var connections = 1
    var inFlight = 256
    var seconds = 10.0
    var rate = 1000.0
    var count = 0
    var ids = "v7"
    var site = "H17"
    var booths: UInt32 = 12
    var connect: String?
    var tokenFile: String?
    var ca: String?
    var cert: String?
    var key: String?
    /// Events dated this many days back (spread over `spreadDays` before that): a history for
    /// retention to delete.
    var daysAgo = 0
    var spreadDays = 0

    init(_ args: [String]) {
        var it = args.dropFirst().makeIterator()
        if let m = it.next() { mode = m }
        while let a = it.next() {
            let v = it.next() ?? ""
            switch a {
            case "--socket": socket = v
            case "--connections": connections = Int(v) ?? 1
            case "--in-flight": inFlight = Int(v) ?? 256
            case "--seconds": seconds = Double(v) ?? 10
            case "--rate": rate = Double(v) ?? 1000
            case "--count": count = Int(v) ?? 0
            case "--ids": ids = v
            case "--site": site = v
            case "--booths": booths = UInt32(v) ?? 12
            case "--connect": connect = v
            case "--token-file": tokenFile = v
            case "--ca": ca = v
            case "--cert": cert = v
            case "--key": key = v
            case "--days-ago": daysAgo = Int(v) ?? 0
            case "--spread-days": spreadDays = Int(v) ?? 0
            default: FileHandle.standardError.write(Data("unknown option \(a)\n".utf8)); exit(2)
            }
        }
    }
}

/// Time-ordered (UUIDv7 layout: 48-bit Unix ms, version 7, random) or random v4 ids.
struct IDMaker {
    var rng = SystemRandomNumberGenerator()
    let v7: Bool
    mutating func next() -> EventID { Self.make(v7: v7, nowMs: SystemClock.realtimeMs(), using: &rng) }

    /// One id from `generator`, dated `nowMs` when time-ordered.
    static func make<G: RandomNumberGenerator>(v7: Bool, nowMs: Int64, using generator: inout G) -> EventID {
        if !v7 { return EventID.random(using: &generator) }
        let high = (UInt64(nowMs) << 16) | 0x7000 | (generator.next() & 0x0FFF)
        let low = (generator.next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return EventID(high: high, low: low)
    }
}

struct EventMaker {
    var ids: IDMaker
    let site: String
    let booths: UInt32
    var daysAgo = 0
    var spreadDays = 0
    var n = 0
    mutating func next() -> Event {
        n += 1
        var now = SystemClock.realtimeMs() - 1000
        if daysAgo > 0 {
            now -= Int64(daysAgo) * 86_400_000 + Int64(spreadDays > 0 ? (n * 7919) % (spreadDays * 86_400) : 0) * 1000
        }
        let header = EventHeader(id: ids.next(), site: site, occurredAtMs: now, booth: UInt32(n % Int(booths)) + 1)
        if n % 4 == 3 { return .boothRelease(BoothRelease(header: header)) }
        return .intake(Intake(header: header, client: .code(ClientCode("load-\(n % 5000)")), gender: n % 2 == 0 ? .male : .female,
                              age: UInt32(20 + n % 50), municipality: 101, substance: .heroin, route: .smoking))
    }
}

final class Tally: Sendable {
    let acked = Atomic<Int>(0)
    let failed = Atomic<Int>(0)
    let latencies = Mutex<[UInt64]>([])
    let remaining: Atomic<Int>
    init(limit: Int = 0) { remaining = Atomic(limit) }
}

func connect(_ o: Options) async throws -> DaemonConnection {
    var address = ListenAddress.unix(path: o.socket)
    var tls: TLSClientFiles?
    var credential = ""
    if let c = o.connect {
        guard let parsed = ListenAddress(parsing: c), parsed.isTCP || parsed.isTLS else {
            FileHandle.standardError.write(Data("--connect \(c): expected tcp:HOST:PORT or tls:HOST:PORT\n".utf8)); exit(2)
        }
        address = parsed
        if parsed.isTLS {
            guard let ca = o.ca else { FileHandle.standardError.write(Data("--connect tls: needs --ca\n".utf8)); exit(2) }
            tls = TLSClientFiles(caFile: ca, certificateFile: o.cert, keyFile: o.key)
        }
        if let f = o.tokenFile, let t = try? String(contentsOfFile: f, encoding: .utf8) {
            credential = t.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
    return try await DaemonConnection.connect(to: address, tls: tls, hello: Hello(clientName: "dcr-load", role: .terminal, credential: credential))
}


/// `connections` × `inFlight` senders, each with one request outstanding, until `stop` or `limit` acks.
func closedLoop(_ o: Options, seconds: Double, limit: Int) async throws -> (acked: Int, failed: Int, elapsed: Double) {
    let tally = Tally(limit: limit)
    let start = SystemClock.monotonicNs()
    let end = start + UInt64(min(seconds, 1e6) * 1e9)
    let ids = o.ids, site = o.site, booths = o.booths, daysAgo = o.daysAgo, spreadDays = o.spreadDays
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<o.connections {
            let c = try await connect(o)
            for _ in 0..<o.inFlight {
                group.addTask {
                    var maker = EventMaker(ids: IDMaker(v7: ids != "v4"), site: site, booths: booths,
                                           daysAgo: daysAgo, spreadDays: spreadDays)
                    while SystemClock.monotonicNs() < end, tally.remaining.subtract(1, ordering: .relaxed).newValue >= 0 {
                        let r = try await c.send(.event(maker.next()))
                        if case .ack = r.body { tally.acked.add(1, ordering: .relaxed) } else { tally.failed.add(1, ordering: .relaxed) }
                    }
                }
            }
        }
        try await group.waitForAll()
    }
    return (tally.acked.load(ordering: .relaxed), tally.failed.load(ordering: .relaxed), Double(SystemClock.monotonicNs() - start) / 1e9)
}

func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let i = min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)
    return Double(sorted[max(0, i)]) / 1000  // µs
}

func paced(_ o: Options) async throws {
    let tally = Tally()
    var conns: [DaemonConnection] = []
    for _ in 0..<o.connections { conns.append(try await connect(o)) }
    let total = Int(o.rate * o.seconds)
    let interval = 1e9 / o.rate
    let start = SystemClock.monotonicNs() + 50_000_000
    var maker = EventMaker(ids: IDMaker(v7: o.ids != "v4"), site: o.site, booths: o.booths)
    try await withThrowingTaskGroup(of: Void.self) { group in
        var i = 0
        while i < total {
            let now = SystemClock.monotonicNs()
            // Everything due by now goes out now; then wait for the next one's time.
            while i < total, start + UInt64(Double(i) * interval) <= now {
                let due = start + UInt64(Double(i) * interval)
                let c = conns[i % conns.count]
                let e = maker.next()
                group.addTask {
                    let r = try await c.send(.event(e))
                    let latency = SystemClock.monotonicNs() - due
                    if case .ack = r.body {
                        tally.acked.add(1, ordering: .relaxed)
                        tally.latencies.withLock { $0.append(latency) }
                    } else { tally.failed.add(1, ordering: .relaxed) }
                }
                i += 1
            }
            let next = start + UInt64(Double(i) * interval)
            let n2 = SystemClock.monotonicNs()
            if next > n2 { try await Task.sleep(nanoseconds: min(next - n2, 1_000_000)) }
        }
        try await group.waitForAll()
    }
    let sorted = tally.latencies.withLock { $0 }.sorted()
    print(String(format: "latency rate=%.0f/s ids=%@ connections=%d acked=%d failed=%d p50=%.0fus p99=%.0fus p99.9=%.0fus max=%.0fus",
                 o.rate, o.ids, o.connections, tally.acked.load(ordering: .relaxed), tally.failed.load(ordering: .relaxed),
                 percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 99.9), percentile(sorted, 100)))
}

let options = Options(CommandLine.arguments)
switch options.mode {
case "throughput":
    // A short warm-up, then the measured run.
    _ = try await closedLoop(options, seconds: 1, limit: .max)
    let r = try await closedLoop(options, seconds: options.seconds, limit: .max)
    print(String(format: "throughput ids=%@ connections=%d in-flight=%d acked=%d failed=%d seconds=%.2f acked/s=%.0f",
                 options.ids, options.connections, options.inFlight, r.acked, r.failed, r.elapsed, Double(r.acked) / r.elapsed))
case "latency":
    try await paced(options)
case "wire-latency":
    WireLatency.run(options)
case "wire-throughput":
    WireThroughput.run(options)
case "reports":
    try await ReportLoop.run(options)
case "fill":
    let r = try await closedLoop(options, seconds: 1e9, limit: options.count)
    print(String(format: "fill acked=%d failed=%d seconds=%.2f acked/s=%.0f", r.acked, r.failed, r.elapsed, Double(r.acked) / r.elapsed))
default:
    FileHandle.standardError.write(Data("usage: dcr-load throughput|latency|wire-throughput|wire-latency|fill|reports --socket PATH …\n".utf8))
    exit(2)
}
