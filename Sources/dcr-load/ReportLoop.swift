import DCRClient
import DCRConfig
import DCRModel
import DCRWire
import Foundation

/// `dcr-load reports`: the heaviest report (intakes by date, substance and route over the last
/// two years), back to back on one connection, for `--seconds`; prints how many were answered.
///
/// `Benchmarks/report-latency.sh` runs it beside paced acknowledgements. A loop of `dcrctl`
/// processes does the same work in the daemon, but each `dcrctl` start (the Swift runtime, NIO,
/// a connection) costs the two shared cores more than its report: that measured the client's
/// start-up against the acknowledgements, not the daemon's reports.
enum ReportLoop {
    static func run(_ o: Options) async throws {
        let c = try await DaemonConnection.connect(to: .unix(path: o.socket), hello: Hello(clientName: "dcr-load", role: .monitor))
        // The UTC date, as the benchmark script's `date -u` gives it.
        let today = LocalDate(dayNumber: Int(SystemClock.realtimeMs() / 86_400_000))
        let query = ReportQuery(measure: .intakes, from: today.adding(days: -731), to: today,
                                groupBy: [.date, .substance, .route])
        let end = SystemClock.monotonicNs() + UInt64(o.seconds * 1e9)
        var answered = 0, failed = 0
        while SystemClock.monotonicNs() < end {
            if case .report = try await c.send(.report(query)).body { answered += 1 } else { failed += 1 }
        }
        await c.close()
        print("reports answered=\(answered) failed=\(failed) seconds=\(o.seconds)")
        if failed > 0 { exit(1) }
    }
}
