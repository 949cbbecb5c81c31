import DCRModel
import DCRWire
import Testing

/// The decoder reads a `Request` as standard protobuf does (issue 17, defects 1 and 4): strings
/// at their full length, a split message merged, field numbers within 1…2^29−1.
@Suite("The request decoder reads what standard protobuf reads")
struct StandardReadingTests {
    static let eventID: [UInt8] = Array(0..<16)

    /// An Intake body with the given site and client code bytes.
    static func intake(site: [UInt8], code: [UInt8]) -> [UInt8] {
        var m = ProtobufBytes()
        m.field(1, bytes: eventID)
        m.field(2, bytes: site)
        m.field(3, varint: 1_700_000_000_000)
        m.field(10, bytes: code)
        return m.bytes
    }

    static func request(id: UInt64 = 7, _ fields: [(Int, [UInt8])]) -> [UInt8] {
        var r = ProtobufBytes()
        r.field(1, varint: id)
        for (n, b) in fields { r.field(n, bytes: b) }
        return r.bytes
    }

    private func refusal(_ payload: [UInt8]) throws -> StatusError? {
        let decoded = try WireCodec.decodeRequest(payload)
        #expect(decoded.request.id == 7)
        if case .invalid(let e) = decoded.request.body { return e }
        return nil
    }

    @Test("a NUL inside a site, a client code, a credential or a report date is INVALID_ARGUMENT naming the field",
          arguments: [
            (request([(20, intake(site: Array("H17\0junk".utf8), code: Array("m".utf8)))]), "intake.site"),
            (request([(20, intake(site: Array("H17".utf8), code: Array("m\0one".utf8)))]), "intake.client_code"),
            (request([(23, intake(site: Array("H17".utf8), code: Array("m\0two".utf8)))]), "referral.client_code"),
            (request([(20, intake(site: Array("H17".utf8), code: [0x6D, 0, 0xFF, 0xFE]))]), "intake.client_code"),
            (request([(10, { var h = ProtobufBytes(); h.field(1, varint: 1); h.field(4, string: "TOKEN\0anything"); return h.bytes }())]),
             "hello.credential"),
            (request([(32, { var q = ProtobufBytes(); q.field(2, string: "2026-01-01\0x"); return q.bytes }())]), "report.from"),
            (request([(22, { var m = ProtobufBytes(); m.field(2, string: "H17"); m.field(13, string: "c\0d"); return m.bytes }())]),
             "incident.client_code"),
            (request([(50, { var m = ProtobufBytes(); m.field(11, string: "c\0d"); return m.bytes }())]), "turn_away.client_code"),
            (request([(54, { var a = ProtobufBytes(); a.field(12, string: "desk\0x"); return a.bytes }())]), "amend.corrected_by"),
            // The corrected event inside an amend: its strings are checked under their own names.
            (request([(54, { var a = ProtobufBytes(); a.field(20, bytes: intake(site: Array("H\01".utf8), code: [])); return a.bytes }())]),
             "amend.intake.site"),
            (request([(54, { var a = ProtobufBytes(); var i = ProtobufBytes(); i.field(13, string: "c\0d"); a.field(21, bytes: i.bytes); return a.bytes }())]),
             "amend.incident.client_code"),
            (request([(54, { var a = ProtobufBytes(); a.field(22, bytes: intake(site: Array("H17".utf8), code: Array("c\0d".utf8))); return a.bytes }())]),
             "amend.referral.client_code"),
            (request([(54, { var a = ProtobufBytes(); var t = ProtobufBytes(); t.field(11, string: "c\0d"); a.field(23, bytes: t.bytes); return a.bytes }())]),
             "amend.turn_away.client_code"),
          ])
    func embeddedNUL(payload: [UInt8], field: String) throws {
        let e = try refusal(payload)
        #expect(e?.code == .invalidArgument)
        #expect(e?.message == "\(field): contains a NUL byte", "\(String(describing: e))")
    }

    @Test("invalid UTF-8 (after a NUL or not) is INVALID_ARGUMENT")
    func invalidUTF8() throws {
        let bad = try refusal(Self.request([(20, Self.intake(site: Array("H17".utf8), code: [0x61, 0xC3, 0x28]))]))
        #expect(bad?.message == "intake.client_code: not valid UTF-8")
        let surrogate = try refusal(Self.request([(21, Self.intake(site: [0xED, 0xA0, 0x80], code: []))]))
        #expect(surrogate?.message == "booth_release.site: not valid UTF-8")
    }

    @Test("a body split over two occurrences is merged as standard protobuf merges it")
    func splitMessageMerged() throws {
        var first = ProtobufBytes()
        first.field(1, bytes: Self.eventID)
        first.field(2, string: "H17")
        first.field(3, varint: 1_700_000_000_000)
        var second = ProtobufBytes()
        second.field(10, string: "client-1")
        second.field(12, varint: 30)
        let decoded = try WireCodec.decodeRequest(Self.request([(20, first.bytes), (20, second.bytes)]))
        guard case .event(.intake(let intake)) = decoded.request.body else {
            Issue.record("not an intake: \(decoded.request.body)")
            return
        }
        #expect(intake.header.site == "H17")
        #expect(intake.header.id == EventID(bytes: Self.eventID))
        #expect(intake.client == .code(ClientCode("client-1")))
        #expect(intake.age == 30)
    }

    @Test("every part of a split message is validated, not only the last")
    func earlierPartValidated() throws {
        var bad = ProtobufBytes()
        bad.field(10, bytes: Array("m\0x".utf8))
        let good = Self.intake(site: Array("H17".utf8), code: Array("fine".utf8))
        let e = try refusal(Self.request([(20, bad.bytes), (20, good)]))
        #expect(e?.message == "intake.client_code: contains a NUL byte")
    }

    @Test("a later, different member replaces the earlier one (oneof), as in standard protobuf")
    func differentMemberReplaces() throws {
        var ping = ProtobufBytes()
        ping.field(1, varint: 5)
        let intake = Self.intake(site: Array("H17".utf8), code: Array("x".utf8))
        let decoded = try WireCodec.decodeRequest(Self.request([(20, intake), (11, ping.bytes)]))
        #expect(decoded.request.body == .ping(nonce: 5))
    }

    @Test("field numbers 0 and above 2^29−1, groups and wire types 6/7 do not decode", arguments: [
        [UInt8]([0x08, 0x01, 0x02, 0x00]),                  // field 0, wire type 2
        [0x08, 0x01, 0x80, 0x80, 0x80, 0x80, 0x10, 0x01],   // field 2^29 (first past the limit), varint
        [0x08, 0x01, 0xF8, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x01], // field number from a 36-bit tag
        [0x08, 0x01, 0x1B, 0x1C],                           // field 3 as a group
        [0x08, 0x01, 0x1E, 0x00],                           // wire type 6
        [0x08, 0x01, 0x1F, 0x00],                           // wire type 7
        [0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], // 10-byte varint over 64 bits
    ])
    func badTags(payload: [UInt8]) {
        #expect(throws: WireDecodeError.self) { try WireCodec.decodeRequest(payload) }
    }

    @Test("field number 2^29−1 is an ordinary unknown field: skipped")
    func largestFieldNumber() throws {
        var r = ProtobufBytes()
        r.field(1, varint: 7)
        r.field((1 << 29) - 1, varint: 1)
        var ping = ProtobufBytes()
        ping.field(1, varint: 9)
        r.field(11, bytes: ping.bytes)
        #expect(try WireCodec.decodeRequest(r.bytes).request == Request(id: 7, .ping(nonce: 9)))
    }
}
