import DCRModel
import DCRWire
import Testing

@Suite("The codec: Swift values to protobuf-c bytes and back")
struct CodecTests {
    static let id = EventID(uuidString: "0f1e2d3c-4b5a-4978-8796-a5b4c3d2e1f0")!
    static let header = EventHeader(id: id, site: "H17", occurredAtMs: 1_700_000_000_000, booth: 3)

    static let events: [Event] = [
        .intake(Intake(header: header, client: .code(ClientCode("AB-1234")), gender: .female, age: 34,
                       municipality: 101, substance: .cocaine, route: .smoking)),
        .boothRelease(BoothRelease(header: header)),
        .incident(Incident(header: header, kind: .overdose, victimGender: .male, victimRole: .client,
                           client: .code(ClientCode("ZZ")), overdoseResponse: .naloxone)),
        .incident(Incident(header: header, kind: .theft, victimGender: .female, victimRole: .staff)),
        .referral(Referral(header: header, client: .code(ClientCode("Q")), gender: .other, target: .housing)),
    ]

    @Test("every event kind survives a round trip unchanged", arguments: events)
    func eventRoundTrip(event: Event) throws {
        let bytes = WireCodec.encodeRequest(Request(id: 42, .event(event)))
        let decoded = try WireCodec.decodeRequest(bytes)
        #expect(decoded.request == Request(id: 42, .event(event)))
        #expect(decoded.unknownEnumValues == 0)
    }

    @Test("every other request kind survives a round trip")
    func requestRoundTrip() throws {
        let query = ReportQuery(measure: .incidents, from: LocalDate(year: 2022, month: 12, day: 18),
                                to: LocalDate(year: 2023, month: 1, day: 18),
                                groupBy: [.incidentKind, .victimGender], sites: ["H17"], scale: 12)
        let bodies: [Request.Body] = [
            .hello(Hello(clientName: "booth H17/3", role: .terminal, credential: "s3cret")),
            .ping(nonce: 7), .cancel(watchID: 9), .status, .load(site: nil), .load(site: "SKYEN"),
            .report(query), .watch(intervalMs: 500, site: "H17"), .reload,
            .backup(to: "/var/backups/dcr/events-20260313T090000Z.sqlite"),
        ]
        for (i, body) in bodies.enumerated() {
            let r = Request(id: UInt64(i + 1), body)
            #expect(try WireCodec.decodeRequest(WireCodec.encodeRequest(r)).request == r)
        }
    }

    @Test("every response kind survives a round trip")
    func responseRoundTrip() throws {
        let query = ReportQuery(measure: .distinctClients, from: LocalDate(year: 2016, month: 1, day: 1),
                                to: LocalDate(year: 2022, month: 12, day: 31), groupBy: [.year, .gender])
        let status = StatusSnapshot(serverVersion: "1.0", startedAtMs: 5, uptimeMs: 6, serverTimeMs: 7,
                                    connections: [.terminal: 3, .monitor: 1], eventsStored: [.intake: 10, .referral: 2],
                                    ingestPerSecond1s: 1.5, rejectedFrames: ["bad_flags": 2], duplicates: 4,
                                    storeCommits: 9, storeCommitMeanUs: 12.5, configState: "ok")
        var backedUp = status
        backedUp.lastBackupAtMs = 1_773_392_400_000
        backedUp.lastBackupResult = "ok"
        backedUp.lastBackupPath = "/var/backups/dcr/events-20260313T090000Z.sqlite"
        backedUp.lastBackupEvents = 2000
        backedUp.oldestRawEvent = "2021-03-13"
        backedUp.retainYears = 5
        backedUp.retentionDeleted = 12_345
        let load = LoadSnapshot(serverTimeMs: 1, uptimeMs: 2, serverVersion: "1.0", terminalsConnected: 3,
                                eventsPerSecond: 0.5, sites: [SiteLoad(site: "H17", boothsTaken: 4, capacity: 12,
                                intakes5m: 1, intakesToday: 90, typicalToday: 80.5, typicalWeeks: 4,
                                intakesPerMinute: Array(repeating: 2, count: 60))])
        let responses: [Response] = [
            Response(id: 1, .welcome(Welcome(serverVersion: "1.0", maxFrameBytes: 65536, grantedRole: .monitor, serverTimeMs: 3))),
            Response(id: 2, .pong(nonce: 8)), Response(id: 3, .ack(duplicate: true)), Response(id: 4, .ack(duplicate: false)),
            Response(id: 5, .status(status)), Response(id: 6, .load(load)),
            Response(id: 7, .report(Report(query: query, rows: [ReportRow(keys: ["2016", "male"], count: 5439)], total: 5439))),
            Response(id: 8, error: StatusError(.invalidArgument, "intake.age: 214 is outside 12…100")),
            Response(id: 9, .status(backedUp)),
            Response(id: 11, .report(Report(query: query, rows: [ReportRow(keys: ["2016", "male"], count: 5439)], total: 9000, approximate: true))),
            Response(id: 10, .backup(BackupReceipt(path: "/b.sqlite", events: 2000, lastSequence: 2004, bytes: 1 << 20,
                                                   finishedAtMs: 1_773_392_400_000, durationMs: 35))),
        ]
        for r in responses {
            #expect(try WireCodec.decodeResponse(.init(bytes: WireCodec.encodeResponse(r))) == r)
        }
    }

    @Test("enum numbers from a newer terminal become 'other' and are counted")
    func unknownEnums() throws {
        var intake = ProtobufBytes()
        intake.field(1, bytes: Self.id.bytes)
        intake.field(2, string: "H17")
        intake.field(3, varint: 1_700_000_000_000)
        intake.field(10, string: "code")
        intake.field(11, varint: 99)  // gender
        intake.field(14, varint: 1234)  // substance
        intake.field(15, varint: 77)  // route
        var request = ProtobufBytes()
        request.field(1, varint: 5)
        request.field(20, bytes: intake.bytes)
        let decoded = try WireCodec.decodeRequest(request.bytes)
        guard case .event(.intake(let e)) = decoded.request.body else { Issue.record("not an intake"); return }
        #expect(e.gender == .other && e.substance == .other && e.route == .other)
        #expect(decoded.unknownEnumValues == 3)
    }

    @Test("a field that cannot become a value is refused by name, not by closing")
    func fieldLevelRefusals() throws {
        var intake = ProtobufBytes()
        intake.field(1, bytes: Array(repeating: 1, count: 15))
        var request = ProtobufBytes()
        request.field(1, varint: 1)
        request.field(20, bytes: intake.bytes)
        let shortID = try WireCodec.decodeRequest(request.bytes).request
        #expect(shortID.id == 1)
        #expect(shortID.body == .invalid(StatusError(.invalidArgument, "intake.event_id: 15 bytes; must be 16 (a UUID)")))

        var bad = ProtobufBytes()
        bad.field(1, bytes: Self.id.bytes)
        bad.field(10, bytes: [0x41, 0xFF, 0xFE])
        var request2 = ProtobufBytes()
        request2.field(20, bytes: bad.bytes)
        #expect(try WireCodec.decodeRequest(request2.bytes).request.body
                == .invalid(StatusError(.invalidArgument, "intake.client_code: not valid UTF-8")))

        var report = ProtobufBytes()
        report.field(2, string: "2023-02-30")
        var request3 = ProtobufBytes()
        request3.field(32, bytes: report.bytes)
        guard case .invalid(let e) = try WireCodec.decodeRequest(request3.bytes).request.body else {
            Issue.record("a date that does not exist decoded"); return
        }
        #expect(e.message.hasPrefix("report.from:"))
    }

    @Test("garbage is undecodable, and an empty payload is a request with no body")
    func garbage() throws {
        #expect(throws: WireDecodeError.self) { try WireCodec.decodeRequest([0xFF, 0xFF, 0xFF, 0xFF, 0x0F]) }
        #expect(throws: WireDecodeError.self) { try WireCodec.decodeRequest([0x0A, 0x10, 0x01]) }  // truncated
        #expect(try WireCodec.decodeRequest([]).request == Request(id: 0, .unknown))
        var rng = SplitMix64(seed: 1)
        for _ in 0..<2000 {
            let n = Int(rng.next() % 200)
            let bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            _ = try? WireCodec.decodeRequest(bytes)  // must never crash
        }
    }

    @Test("a raw client code never appears in a description")
    func redaction() {
        let e = Self.events[0]
        #expect(!String(describing: e).contains("AB-1234"))
        #expect(!String(reflecting: e).contains("AB-1234"))
        #expect(!"\(e)".contains("AB-1234"))
    }
}

/// Deterministic randomness for tests.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
