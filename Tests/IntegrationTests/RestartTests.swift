import DCRClient
import DCRModel
import DCRWire
import Foundation
import Testing

/// Issue 3, acceptance 2: the counters a restart rebuilds from the store equal the live ones.
@Suite("Counters survive a restart of the real dcrd", .serialized)
struct RestartTests {
    static let now = DaemonProcess.testClockStartMs
    static let sites: [(code: String, capacity: UInt32)] = [("H17", 12), ("SKYEN", 6), ("MOBILE", 2)]

    /// A deterministic mix over the last 24 hours and the same hours 1–3 weeks back (for
    /// "typical"). Every event sits 30 s before a whole minute of the test clock, so a query a
    /// few seconds after either start sees each one in the same window and minute bucket.
    static func events() -> [Event] {
        var factory = EventFactory(seed: 77)
        var out: [Event] = []
        var n = 0
        for minute in 0..<(24 * 60) {
            let perMinute = minute < 90 ? 3 : (minute % 7 == 0 ? 2 : 0)
            for _ in 0..<perMinute {
                let s = sites[n % sites.count]
                var e = factory.event(n, site: s.code, capacity: s.capacity)
                e.header.occurredAtMs = now - Int64(minute) * 60_000 - 30_000
                out.append(e)
                n += 1
            }
        }
        for week in 1...3 {
            for k in 0..<(40 * week) {
                let s = sites[k % sites.count]
                var e = factory.event(n, site: s.code, capacity: s.capacity)
                e.header.occurredAtMs = now - Int64(week) * 7 * 86_400_000 - Int64(k % 300) * 60_000 - 30_000
                out.append(e)
                n += 1
            }
        }
        return out
    }

    static let queries: [ReportQuery] = {
        let from = LocalDate(year: 2026, month: 2, day: 1), to = LocalDate(year: 2026, month: 3, day: 13)
        return [
            ReportQuery(measure: .intakes, from: from, to: to, groupBy: [.site, .date, .hour]),
            ReportQuery(measure: .distinctClients, from: from, to: to, groupBy: [.site, .gender]),
            ReportQuery(measure: .incidents, from: from, to: to, groupBy: [.incidentKind, .victimGender]),
            ReportQuery(measure: .referrals, from: from, to: to, groupBy: [.site, .referralTarget]),
            ReportQuery(measure: .intakes, from: from, to: to, groupBy: [.substance, .route, .ageBand]),
        ]
    }()

    struct Snapshot: Equatable {
        var sites: [SiteLoad]
        var perSite: [SiteLoad]
        var stored: [EventKind: UInt64]
        var reports: [Report]
    }

    static func snapshot(_ daemon: DaemonProcess) async throws -> Snapshot {
        let monitor = try await daemon.connect(role: .monitor)
        defer { Task { await monitor.close() } }
        guard case .load(let all) = try await monitor.send(.load(site: nil)).body else { throw HarnessError("no load") }
        var perSite: [SiteLoad] = []
        for s in sites {
            guard case .load(let one) = try await monitor.send(.load(site: s.code)).body else { throw HarnessError("no load") }
            perSite += one.sites
        }
        guard case .status(let status) = try await monitor.send(.status).body else { throw HarnessError("no status") }
        var reports: [Report] = []
        for q in queries {
            let r = try await monitor.send(.report(q)).body
            guard case .report(let report) = r else { throw HarnessError("no report for \(q): \(r)") }
            reports.append(report)
        }
        return Snapshot(sites: all.sites, perSite: perSite, stored: status.eventsStored, reports: reports)
    }

    @Test("Load of every site (every field), Status and Reports are equal before and after a restart")
    func countersSurviveRestart() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        // Both runs start at the same instant of the test clock: the same "now".
        daemon.extraEnvironment["DCRD_TEST_CLOCK_START_MS"] = String(Self.now)
        try await daemon.start()
        let events = Self.events()
        try await daemon.sendAll(events)
        let before = try await Self.snapshot(daemon)

        // The mix really exercises the counters.
        #expect(before.stored.values.reduce(0, +) == UInt64(events.count))
        #expect(before.sites.contains { $0.boothsTaken > 0 })
        #expect(before.sites.contains { $0.typicalWeeks > 0 && $0.typicalToday > 0 })
        #expect(before.sites.allSatisfy { $0.intakesPerMinute.contains { $0 > 0 } && $0.intakes5m > 0 && $0.intakesToday > $0.intakes1h })
        #expect(before.reports.allSatisfy { !$0.rows.isEmpty })

        #expect(try await daemon.stop() == 0)
        try await daemon.start()
        let line = try await daemon.waitForLog(containing: "replayed the store events=")
        #expect(line.contains("events=\(events.count)"), "\(line)")
        let after = try await Self.snapshot(daemon)

        #expect(after.sites == before.sites)
        #expect(after.perSite == before.perSite)
        #expect(after.stored == before.stored)
        for (a, b) in zip(after.reports, before.reports) { #expect(a == b, "\(b.query)") }

        // And after a SIGKILL (no orderly close of the store) as well.
        try await daemon.kill9()
        try await daemon.start()
        let afterKill = try await Self.snapshot(daemon)
        #expect(afterKill == before)
        #expect(try await daemon.stop() == 0)
    }
}
