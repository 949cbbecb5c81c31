import DCRDashboard
import DCRModel
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Synchronization

/// A fixed load and exposition, changed by the test between requests.
final class FixedSource: DashboardSource {
    let load = Mutex(LoadSnapshot(serverTimeMs: 1_773_392_400_000, sites: [SiteLoad(site: "H17", boothsTaken: 3, capacity: 12)]))
    func dashboardLoad() -> LoadSnapshot { load.withLock { $0 } }
    func metricsExposition() -> [UInt8] { Array("# HELP dcr_x_total x\n# TYPE dcr_x_total counter\ndcr_x_total 1\n".utf8) }
}

/// One connection through the real pipeline: NIOHTTP1's parser and encoder around the handler,
/// raw request bytes in, raw response bytes out.
struct HTTPExchange {
    let channel: EmbeddedChannel

    init(source: FixedSource = FixedSource(), requireToken: Bool = false, tokens: [String] = [],
         gate: ConnectionGate = ConnectionGate(limit: 8), intervalMs: Int = 1000) throws {
        channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
        try channel.pipeline.syncOperations.addHandler(DashboardHandler(
            source: source,
            settings: DashboardSettings(updateIntervalMs: intervalMs, tokens: tokens.map { Array($0.utf8) }, requireToken: requireToken),
            gate: gate))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9411)).wait()
    }

    /// Sends `request` (CRLFs added) and returns everything written back so far.
    func send(_ lines: String...) throws -> String {
        try channel.writeInbound(channel.allocator.buffer(string: lines.joined(separator: "\r\n") + "\r\n\r\n"))
        return try written()
    }

    func written() throws -> String {
        var text = ""
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            text += buffer.readString(length: buffer.readableBytes) ?? ""
        }
        return text
    }

    func close() { _ = try? channel.finish() }
}

extension String {
    var statusLine: Substring { split(separator: "\r\n", maxSplits: 1).first ?? "" }
    var body: Substring {
        guard let r = range(of: "\r\n\r\n") else { return "" }
        return self[r.upperBound...]
    }
    func header(_ name: String) -> String? {
        for line in split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                return String(parts[1].drop(while: { $0 == " " }))
            }
        }
        return nil
    }
}
