import DCRClient
import DCRModel
import DCRWire
import Foundation
import Testing

/// Turn-aways and suspensions through the real dcrd: stored, counted, reported, refused where
/// invalid, and the acknowledgement of a suspended client's intake.
@Suite("Turn-aways and suspensions, through the real dcrd", .serialized)
struct DoorEventTests {
    static let now = DaemonProcess.testClockStartMs
    static let hour: Int64 = 3_600_000
    static let today = "2026-03-13"

    static func header(_ site: String = "H17", _ atMs: Int64 = now - 60_000, booth: UInt32 = 0) -> EventHeader {
        EventHeader(id: .random(), site: site, occurredAtMs: atMs, booth: booth)
    }

    static func intake(_ client: String, _ atMs: Int64, site: String = "H17") -> Event {
        .intake(Intake(header: header(site, atMs, booth: 1), client: .code(ClientCode(client)), gender: .male,
                       age: 30, substance: .heroin, route: .smoking))
    }

    static func suspension(_ client: String, from: Int64, until: Int64, allSites: Bool = false) -> Suspension {
        Suspension(header: header(), client: .code(ClientCode(client)), fromMs: from, untilMs: until,
                   reason: .violence, allSites: allSites)
    }

    @Test("turn-aways sent with dcrctl are stored, counted today, reported by reason and site; no reason is refused")
    func turnAways() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let at = String(Self.now - 120_000)
        for (site, reason) in [("H17", "first-time-user"), ("H17", "first-time-user"), ("SKYEN", "room-full")] {
            let r = try await daemon.dcrctl(["send", "turn-away", "--site", site, "--reason", reason, "--age", "17", "--at-ms", at])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.hasPrefix("stored: event "))
        }
        let bad = try await daemon.dcrctl(["send", "turn-away", "--site", "H17", "--reason", "sleepy"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("--reason sleepy: expected one of first-time-user, under-age, intoxicated, suspended, room-full, other"), "\(bad.stderr)")

        let terminal = try await daemon.connect(role: .terminal)
        let refused = try await terminal.send(.event(.turnAway(TurnAway(header: Self.header(), reason: .unspecified))))
        #expect(refused.error == StatusError(.invalidArgument, "turn_away.reason: required"))
        let young = try await terminal.send(.event(.turnAway(TurnAway(header: Self.header(), reason: .underAge, age: 9))))
        #expect(young.error == StatusError(.invalidArgument, "turn_away.age: 9 is outside 12…100 (0 = unknown)"))
        await terminal.close()

        let report = try await daemon.dcrctl(["report", "turn-aways", "--from", Self.today, "--to", Self.today,
                                              "--by", "site,reason", "--json"]).json()
        let rows = (report["rows"] as? [[String: Any]] ?? []).map { ($0["keys"] as? [String] ?? [], $0["count"] as? Int ?? -1) }
        #expect(rows.map(\.0) == [["H17", "first-time-user"], ["SKYEN", "room-full"]])
        #expect(rows.map(\.1) == [2, 1])
        let load = try await daemon.dcrctl(["load", "--json"]).json()
        let bySite = Dictionary(uniqueKeysWithValues: (load["sites"] as? [[String: Any]] ?? []).map { ($0["site"] as? String ?? "", $0) })
        #expect(bySite["H17"]?["turn_aways_today"] as? Int == 2)
        #expect(bySite["SKYEN"]?["turn_aways_today"] as? Int == 1)
        #expect(bySite["H17"]?["intakes_today"] as? Int == 0, "a turn-away is not an intake")
        let text = try await daemon.dcrctl(["load"])
        #expect(text.stdout.contains("TURNED AWAY"))
        #expect(try await daemon.stop() == 0)
    }

    @Test("an intake for a suspended client is acknowledged with suspended_until_ms; not after the end, not after a lift")
    func suspendedIntakeIsFlagged() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let c = try await daemon.connect(role: .terminal)
        defer { Task { await c.close() } }
        let now = Self.now
        let local = Self.suspension("client-sus", from: now - 2 * Self.hour, until: now + Self.hour)
        #expect(try await c.send(.event(.suspension(local))).body == .ack(duplicate: false))

        let during = try await c.send(.event(Self.intake("client-sus", now - 60_000)))
        #expect(during.body == .ack(duplicate: false, suspendedUntilMs: now + Self.hour))
        let elsewhere = try await c.send(.event(Self.intake("client-sus", now - 60_000, site: "SKYEN")))
        #expect(elsewhere.body == .ack(duplicate: false), "the suspension holds at H17 only")
        let before = try await c.send(.event(Self.intake("client-sus", now - 3 * Self.hour)))
        #expect(before.body == .ack(duplicate: false), "before the suspension began")

        // Ended: a suspension over an hour ago.
        let ended = Self.suspension("client-old", from: now - 3 * Self.hour, until: now - Self.hour, allSites: true)
        #expect(try await c.send(.event(.suspension(ended))).body == .ack(duplicate: false))
        #expect(try await c.send(.event(Self.intake("client-old", now - 2 * Self.hour, site: "MOBILE"))).body
                == .ack(duplicate: false, suspendedUntilMs: now - Self.hour), "every site, while it held")
        #expect(try await c.send(.event(Self.intake("client-old", now - 60_000))).body == .ack(duplicate: false))

        // Lifted early, 30 minutes ago: intakes after the lift are not flagged, those before still are.
        let lift = SuspensionLift(header: Self.header("H17", now - 30 * 60_000), suspensionID: local.header.id)
        #expect(try await c.send(.event(.suspensionLift(lift))).body == .ack(duplicate: false))
        #expect(try await c.send(.event(Self.intake("client-sus", now - 10 * 60_000))).body == .ack(duplicate: false))
        #expect(try await c.send(.event(Self.intake("client-sus", now - 40 * 60_000))).body
                == .ack(duplicate: false, suspendedUntilMs: now - 30 * 60_000))

        let unknown = SuspensionLift(header: Self.header(), suspensionID: .random())
        let refused = try await c.send(.event(.suspensionLift(unknown)))
        #expect(refused.code == .notFound)
        #expect(refused.error?.message == "suspension_lift.suspension_id: no stored suspension has the id \(unknown.suspensionID)")
        #expect(try await daemon.stop() == 0)
    }

    @Test("a suspension longer than max-suspension is refused with the limit; the limit is configurable")
    func suspensionLimit() async throws {
        let daemon = try DaemonProcess(configuration: "max-suspension 60")
        defer { daemon.cleanUp() }
        try await daemon.start()
        let c = try await daemon.connect(role: .terminal)
        defer { Task { await c.close() } }
        let now = Self.now
        let long = try await c.send(.event(.suspension(Self.suspension("client-x", from: now, until: now + 2 * Self.hour))))
        #expect(long.error == StatusError(.invalidArgument,
                                          "suspension.until_ms: 2 h after from_ms; a suspension lasts at most 1 h (max-suspension)"))
        let backwards = try await c.send(.event(.suspension(Self.suspension("client-x", from: now, until: now))))
        #expect(backwards.error == StatusError(.invalidArgument, "suspension.until_ms: required, after from_ms"))
        #expect(try await c.send(.event(.suspension(Self.suspension("client-x", from: now, until: now + Self.hour)))).body
                == .ack(duplicate: false))
        let viaCLI = try await daemon.dcrctl(["send", "suspend", "--site", "H17", "--client-code", "client-y",
                                              "--minutes", "90", "--reason", "threat", "--at-ms", String(now)])
        #expect(viaCLI.status != 0)
        #expect(viaCLI.stderr.contains("at most 1 h (max-suspension)"), "\(viaCLI.stderr)")
        let suspended = try await daemon.dcrctl(["send", "suspend", "--site", "H17", "--client-code", "client-y",
                                                 "--minutes", "30", "--reason", "threat", "--at-ms", String(now - 60_000)])
        #expect(suspended.status == 0, "\(suspended.stderr)")
        let warned = try await daemon.dcrctl(["send", "intake", "--site", "H17", "--client-code", "client-y",
                                              "--at-ms", String(now - 30_000)])
        #expect(warned.stdout.contains("warning: this client is suspended at H17 until \(now - 60_000 + 30 * 60_000)"), "\(warned.stdout)")
        #expect(!warned.stdout.contains("client-y"), "no raw client code in the output")
        #expect(try await daemon.stop() == 0)
    }

    @Test("after a restart and after SIGKILL, turn-away counts and suspensions are what they were")
    func survivesRestartAndKill() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let now = Self.now
        var events: [Event] = []
        let reasons: [TurnAwayReason] = [.firstTimeUser, .underAge, .intoxicated, .suspended, .roomFull, .other]
        for n in 0..<60 {
            let site = ["H17", "SKYEN", "MOBILE"][n % 3]
            events.append(.turnAway(TurnAway(header: Self.header(site, now - Int64(n) * 7 * 3_600_000 / 10 - 30_000),
                                             reason: reasons[n % reasons.count], gender: n % 2 == 0 ? .male : .female,
                                             age: UInt32(15 + n))))
        }
        let suspension = Self.suspension("client-k", from: now - Self.hour, until: now + Self.hour, allSites: true)
        events.append(.suspension(suspension))
        try await daemon.sendAll(events)
        let intakeOfK = Self.intake("client-k", now - 20_000, site: "SKYEN")

        func snapshot() async throws -> (LoadSnapshot, Report, Response) {
            let m = try await daemon.connect(role: .monitor)
            defer { Task { await m.close() } }
            guard case .load(let load) = try await m.send(.load(site: nil)).body else { throw HarnessError("no load") }
            let q = ReportQuery(measure: .turnAways, from: LocalDate(year: 2026, month: 3, day: 1),
                                to: LocalDate(year: 2026, month: 3, day: 13), groupBy: [.site, .date, .turnAwayReason, .ageBand])
            guard case .report(let report) = try await m.send(.report(q)).body else { throw HarnessError("no report") }
            let t = try await daemon.connect(role: .terminal)
            defer { Task { await t.close() } }
            // The same intake each time: a duplicate after the first, but still flagged.
            let ack = try await t.send(.event(intakeOfK))
            return (load, report, ack)
        }
        let before = try await snapshot()
        #expect(before.1.total == 60)
        #expect(before.2.body == .ack(duplicate: false, suspendedUntilMs: now + Self.hour))
        #expect(try await daemon.stop() == 0)
        try await daemon.start()
        let restarted = try await snapshot()
        #expect(restarted.1 == before.1)
        #expect(restarted.0.sites.map(\.turnAwaysToday) == before.0.sites.map(\.turnAwaysToday))
        #expect(restarted.2.body == .ack(duplicate: true, suspendedUntilMs: now + Self.hour))
        try await daemon.kill9()
        try await daemon.start()
        let killed = try await snapshot()
        #expect(killed.1 == before.1)
        #expect(killed.0.sites.map(\.turnAwaysToday) == before.0.sites.map(\.turnAwaysToday))
        #expect(killed.2.body == .ack(duplicate: true, suspendedUntilMs: now + Self.hour))
        #expect(try await daemon.stop() == 0)
    }
}
