import DCRMetrics
import DCRModel
import Testing

@Suite("The dcr_ metric families")
struct MetricsTests {
    static let load = LoadSnapshot(serverTimeMs: 1_773_392_400_000, sites: [
        SiteLoad(site: "H17", boothsTaken: 5, capacity: 12, intakes5m: 2, intakes15m: 4, intakes1h: 9, intakesToday: 31),
        SiteLoad(site: "SKYEN", boothsTaken: 0, capacity: 6),
    ])

    static func status(duplicates: UInt64 = 0, rejected: [String: UInt64] = [:]) -> StatusSnapshot {
        StatusSnapshot(serverVersion: "0.1.0", startedAtMs: 0, uptimeMs: 0, serverTimeMs: 0, connections: [.terminal: 3],
                       eventsStored: [:], ingestPerSecond1s: 0, ingestPerSecond1m: 0, ingestPerSecond5m: 0,
                       rejectedFrames: rejected, duplicates: duplicates, invalidEvents: 0, unknownEnumValues: 0,
                       storeCommits: 0, storeCommitLastUs: 0, storeCommitMaxUs: 0, storeCommitMeanUs: 0, configState: "ok")
    }

    static func value(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test("events stored count by site and kind; every family has HELP and TYPE")
    func storedBySiteAndKind() {
        let m = DaemonMetrics(version: "0.1.0", startedAtMs: 1_773_392_400_000)
        m.declareSite("H17")
        m.eventStored(site: "H17", kind: .intake)
        m.eventStored(site: "H17", kind: .intake)
        m.eventStored(site: "SKYEN", kind: .incident)
        let text = String(decoding: m.exposition(load: Self.load, status: Self.status()), as: UTF8.self)
        #expect(Self.value(text, #"dcr_events_stored_total{site="H17",kind="intake"}"#) == 2)
        #expect(Self.value(text, #"dcr_events_stored_total{site="SKYEN",kind="incident"}"#) == 1)
        #expect(Self.value(text, #"dcr_events_stored_total{site="H17",kind="referral"}"#) == 0, "declared at 0")
        #expect(Self.value(text, #"dcr_booths_taken{site="H17"}"#) == 5)
        #expect(Self.value(text, #"dcr_booths_capacity{site="SKYEN"}"#) == 6)
        #expect(Self.value(text, #"dcr_intakes_recent{site="H17",window="1h"}"#) == 9)
        #expect(Self.value(text, #"dcr_connections{role="terminal"}"#) == 3)
        #expect(Self.value(text, #"dcr_build_info{version="0.1.0"}"#) == 1)
        let families = Set(text.split(separator: "\n").filter { $0.hasPrefix("# TYPE ") }.map { $0.split(separator: " ")[2] })
        let helped = Set(text.split(separator: "\n").filter { $0.hasPrefix("# HELP ") }.map { $0.split(separator: " ")[2] })
        #expect(families == helped && families.count >= 20, "\(families.symmetricDifference(helped))")
        #expect(families.allSatisfy { $0.hasPrefix("dcr_") })
    }

    @Test("cumulative counts carry over by their growth: never twice, never backwards")
    func carriedCounters() {
        let m = DaemonMetrics(version: "0.1.0", startedAtMs: 0)
        var text = String(decoding: m.exposition(load: Self.load, status: Self.status(duplicates: 4, rejected: ["undecodable": 2])), as: UTF8.self)
        #expect(Self.value(text, "dcr_events_duplicate_total") == 4)
        text = String(decoding: m.exposition(load: Self.load, status: Self.status(duplicates: 4, rejected: ["undecodable": 2])), as: UTF8.self)
        #expect(Self.value(text, "dcr_events_duplicate_total") == 4, "a second scrape adds nothing")
        #expect(Self.value(text, #"dcr_frames_rejected_total{reason="undecodable"}"#) == 2)
        text = String(decoding: m.exposition(load: Self.load, status: Self.status(duplicates: 7, rejected: ["undecodable": 3, "Peer Said \"x\"": 1])), as: UTF8.self)
        #expect(Self.value(text, "dcr_events_duplicate_total") == 7)
        #expect(Self.value(text, #"dcr_frames_rejected_total{reason="undecodable"}"#) == 3)
        #expect(Self.value(text, #"dcr_frames_rejected_total{reason="other"}"#) == 1, "a reason that is not a plain word is folded")
        #expect(!text.contains("Peer Said"))
    }

    @Test("commits land in the latency and batch-size histograms")
    func commitHistograms() {
        let m = DaemonMetrics(version: "0.1.0", startedAtMs: 0)
        m.commit(duration: .microseconds(800), events: 40)
        m.commit(duration: .milliseconds(30), events: 1)
        let text = String(decoding: m.exposition(load: Self.load, status: Self.status()), as: UTF8.self)
        #expect(Self.value(text, "dcr_store_commit_duration_seconds_count") == 2)
        #expect(Self.value(text, #"dcr_store_commit_duration_seconds_bucket{le="0.001"}"#) == 1)
        #expect(Self.value(text, "dcr_store_commit_batch_events_sum") == 41)
    }
}
