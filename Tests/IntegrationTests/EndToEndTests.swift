import DCRClient
import DCRConfig
import DCRModel
import DCRWire
import Testing

@Suite("One event end to end, through the real dcrd", .serialized)
struct EndToEndTests {
    @Test("10,000 pipelined events over Unix and TCP connections are counted exactly; resends count nothing")
    func pipelinedEventsAreCountedExactly() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()

        var factory = EventFactory(seed: 2)
        let connections = 5
        var batches: [[Event]] = Array(repeating: [], count: connections)
        for n in 0..<10_000 { batches[n % connections].append(factory.event(n, site: ["H17", "SKYEN", "MOBILE"][n % 3] ,
                                                                             capacity: [12, 6, 2][n % 3])) }
        let all = batches.flatMap { $0 }

        try await withThrowingTaskGroup(of: Void.self) { group in
            for (i, batch) in batches.enumerated() {
                group.addTask {
                    let c = try await daemon.connect(role: .terminal, tcp: i % 2 == 1)
                    let answers = try await c.sendAll(batch.map { .event($0) })
                    #expect(answers.count == batch.count)
                    #expect(answers.allSatisfy { $0.error == nil && $0.body == .ack(duplicate: false) })
                    await c.close()
                }
            }
            try await group.waitForAll()
        }

        let monitor = try await daemon.connect(role: .monitor)
        guard case .status(let status) = try await monitor.send(.status).body else { Issue.record("no status"); return }
        for kind in EventKind.allCases {
            #expect(status.eventsStored[kind, default: 0] == UInt64(all.filter { $0.kind == kind }.count), "\(kind)")
        }
        guard case .load(let load) = try await monitor.send(.load(site: nil)).body else { Issue.record("no load"); return }
        for site in load.sites {
            let intakes = all.filter { $0.kind == .intake && $0.header.site == site.site }.count
            #expect(site.intakesToday == UInt32(intakes), "\(site.site) today")
            #expect(site.intakes15m == UInt32(intakes), "\(site.site) 15 min: all events are at most 10 minutes old")
            #expect(site.incidentsToday == UInt32(all.filter { $0.kind == .incident && $0.header.site == site.site }.count))
        }

        // Resend the first 1,000: all duplicates, nothing counted.
        let terminal = try await daemon.connect(role: .terminal)
        let again = try await terminal.sendAll(all.prefix(1000).map { .event($0) })
        #expect(again.allSatisfy { $0.body == .ack(duplicate: true) })
        guard case .status(let after) = try await monitor.send(.status).body else { Issue.record("no status"); return }
        #expect(after.eventsStored == status.eventsStored)
        #expect(after.duplicates == 1000)
        await terminal.close()
        await monitor.close()
        #expect(try await daemon.stop() == 0)
    }

    @Test("responses come back in request order, with the ids the client chose")
    func pipelinedOrder() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let c = try await daemon.connect(role: .admin)
        var factory = EventFactory(seed: 3)
        var bodies: [Request.Body] = []
        for n in 0..<300 {
            switch n % 3 {
            case 0: bodies.append(.event(factory.event(n)))
            case 1: bodies.append(.ping(nonce: UInt64(n)))
            default: bodies.append(.load(site: "H17"))
            }
        }
        let answers = try await c.sendAll(bodies)
        for (n, a) in answers.enumerated() {
            switch n % 3 {
            case 0: #expect(a.body == .ack(duplicate: false))
            case 1: #expect(a.body == .pong(nonce: UInt64(n)))
            default: if case .load = a.body {} else { Issue.record("answer \(n) is not a load: \(a)") }
            }
        }
        #expect(zip(answers, answers.dropFirst()).allSatisfy { $0.id < $1.id })
        await c.close()
    }

    @Test("every refusal names the field and the rule, and the connection stays usable")
    func validation() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let c = try await daemon.connect(role: .terminal)
        let now = DaemonProcess.testClockStartMs
        func intake(site: String = "H17", at: Int64 = now, booth: UInt32 = 1, code: String = "x", age: UInt32 = 30) -> Request.Body {
            .event(.intake(Intake(header: EventHeader(id: .random(), site: site, occurredAtMs: at, booth: booth),
                                  client: .code(ClientCode(code)), gender: .male, age: age, substance: .heroin, route: .smoking)))
        }
        let cases: [(Request.Body, StatusCode, String)] = [
            (intake(age: 214), .invalidArgument, "intake.age: 214 is outside 12…100"),
            (intake(site: "NOPE"), .notFound, "intake.site: \"NOPE\" is not a configured site"),
            (intake(at: now + 10 * 60_000), .invalidArgument, "intake.occurred_at_ms: 59"),
            (intake(booth: 13), .invalidArgument, "intake.booth: 13 is outside 0…12"),
            (intake(code: ""), .invalidArgument, "intake.client_code: 0 code points"),
            (.status, .permissionDenied, "this request needs role monitor"),
            (.hello(Hello(clientName: "again", role: .terminal)), .failedPrecondition, "hello was already accepted"),
        ]
        for (body, code, prefix) in cases {
            let r = try await c.send(body)
            #expect(r.error?.code == code, "\(prefix)")
            #expect(r.error?.message.hasPrefix(prefix) == true, "got \(r.error?.message ?? "no error")")
        }
        // Old events (an offline terminal) are welcome.
        #expect(try await c.send(intake(at: now - 3 * 86_400_000)).body == .ack(duplicate: false))
        #expect(try await c.send(.ping(nonce: 1)).body == .pong(nonce: 1))
        await c.close()
    }

    @Test("Hello decides the role: tokens on TCP, peer credentials on Unix, versions checked")
    func admission() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let tcp = ListenAddress.tcp(host: "127.0.0.1", port: daemon.tcpPort)
        await #expect(throws: ClientError.self) {
            _ = try await DaemonConnection.connect(to: tcp, hello: Hello(clientName: "x", role: .terminal))
        }
        do {
            _ = try await DaemonConnection.connect(to: tcp, hello: Hello(clientName: "x", role: .terminal, credential: "wrong-token-wrong-token"))
            Issue.record("a wrong token was accepted")
        } catch ClientError.refused(let e) {
            #expect(e.code == .unauthenticated)
        }
        do {
            _ = try await DaemonConnection.connect(to: tcp, hello: Hello(clientName: "x", role: .admin, credential: DaemonProcess.monitorToken))
            Issue.record("a monitor token became admin")
        } catch ClientError.refused(let e) {
            #expect(e.code == .permissionDenied)
            #expect(e.message == "hello.role: admin is not granted to token it-monitor (granted: monitor)")
        }
        do {
            _ = try await DaemonConnection.connect(to: .unix(path: daemon.socketPath), hello: Hello(protocolVersion: 2, clientName: "x", role: .monitor))
            Issue.record("protocol version 2 was accepted")
        } catch ClientError.refused(let e) {
            #expect(e.code == .failedPrecondition)
        }
        let ok = try await daemon.connect(role: .monitor, tcp: true)
        #expect(ok.welcome.grantedRole == .monitor)
        #expect(ok.welcome.maxFrameBytes == 65536)
        await ok.close()
    }
}

@Suite("Reload as a request", .serialized)
struct ReloadRequestTests {
    @Test("an admin's Reload puts a changed file in force; a broken file is refused and changes nothing; a monitor may not")
    func reloadRequest() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let admin = try await daemon.connect(role: .admin)
        try daemon.writeConfiguration("site KIOSK 3")
        #expect(try await admin.send(.reload).error == nil)
        guard case .load(let load) = try await admin.send(.load(site: nil)).body else { Issue.record("no load"); return }
        #expect(load.sites.map(\.site) == ["H17", "SKYEN", "MOBILE", "KIOSK"])

        try daemon.writeConfiguration("site KIOSK many")
        let refused = try await admin.send(.reload)
        #expect(refused.error?.code == .failedPrecondition)
        #expect(refused.error?.message.contains("capacity \"many\"") == true)
        guard case .load(let still) = try await admin.send(.load(site: "KIOSK")).body else { Issue.record("no load"); return }
        #expect(still.sites.first?.capacity == 3)

        let monitor = try await daemon.connect(role: .monitor)
        #expect(try await monitor.send(.reload).error?.code == .permissionDenied)
        await admin.close()
        await monitor.close()
    }
}
