import DCRModel

/// A pass over a `Request`'s raw bytes before protobuf-c unpacks them, for what protobuf-c reads
/// differently from standard protobuf (issue 17):
///
/// - protobuf-c hands strings to us as NUL-terminated `char *`: the length on the wire is lost,
///   so `H17\0junk` would read as `H17`. Only here, on the raw bytes, is the true length known;
///   a string field with a NUL byte or invalid UTF-8 is refused naming the field. With NULs
///   refused, every C string protobuf-c gives us is the whole field.
/// - A message field that occurs twice is one message merged from both parts in standard
///   protobuf; protobuf-c keeps only the last. The parts of the request's body are concatenated
///   (which is how protobuf defines the merge) so protobuf-c reads the merged message; every part
///   is checked. A different member of the `body` oneof replaces the earlier one.
/// - Field numbers past 2^29−1, groups and over-long varints do not decode (`ProtobufCursor`).
struct RequestPrepass {
    /// The bytes protobuf-c should unpack: the input, or a rebuilt request with the body merged.
    var merged: [UInt8]?
    /// The first string field that breaks the rules, to answer with the request's id.
    var fieldError: StatusError?

    /// The string fields of each body message, by the Request field number of the body.
    static let bodies: [Int: (name: String, strings: [Int: String])] = [
        10: ("hello", [2: "client_name", 4: "credential"]),
        11: ("ping", [:]),
        12: ("cancel", [:]),
        20: ("intake", [2: "site", 10: "client_code"]),
        21: ("booth_release", [2: "site"]),
        22: ("incident", [2: "site", 13: "client_code"]),
        23: ("referral", [2: "site", 10: "client_code"]),
        50: ("turn_away", [2: "site", 11: "client_code"]),
        51: ("suspension", [2: "site", 10: "client_code"]),
        52: ("suspension_lift", [2: "site"]),
        53: ("void", [2: "site", 12: "corrected_by"]),
        54: ("amend", [2: "site", 12: "corrected_by"]),
        55: ("referral_outcome", [2: "site", 12: "corrected_by"]),
        56: ("history", [:]),
        30: ("status", [:]),
        31: ("load", [1: "site"]),
        32: ("report", [2: "from", 3: "to", 5: "sites"]),
        33: ("watch", [2: "site"]),
        40: ("reload", [:]),
        41: ("backup", [1: "to"]),
    ]

    /// Messages inside a body message (an Amend's corrected event), by body and field number:
    /// their strings are checked the same way.
    static let nested: [Int: [Int: (name: String, strings: [Int: String])]] = [
        54: [20: ("amend.intake", [2: "site", 10: "client_code"]),
             21: ("amend.incident", [2: "site", 13: "client_code"]),
             22: ("amend.referral", [2: "site", 10: "client_code"]),
             23: ("amend.turn_away", [2: "site", 11: "client_code"])],
    ]

    init(_ payload: UnsafeRawBufferPointer) throws(WireDecodeError) {
        var cursor = ProtobufCursor(payload)
        var body: (number: Int, parts: [Range<Int>])?
        var occurrences = 0
        var others: [Range<Int>] = []  // every top-level field outside the body, tag included
        var fieldStart = 0
        while let (number, value) = try cursor.next() {
            defer { fieldStart = cursor.offset }
            guard let schema = Self.bodies[number], case .bytes(let range) = value else {
                others.append(fieldStart..<cursor.offset)
                continue
            }
            occurrences += 1
            if body?.number == number { body!.parts.append(range) } else { body = (number, [range]) }
            try check(payload, range, schema, nested: Self.nested[number] ?? [:])
        }
        guard occurrences > 1, let body else { return }
        var out: [UInt8] = []
        for r in others { out += payload[r] }
        let length = body.parts.reduce(0) { $0 + $1.count }
        Self.appendVarint(UInt64(body.number) << 3 | 2, to: &out)
        Self.appendVarint(UInt64(length), to: &out)
        for r in body.parts { out += payload[r] }
        merged = out
    }

    private mutating func check(_ payload: UnsafeRawBufferPointer, _ range: Range<Int>,
                                _ schema: (name: String, strings: [Int: String]),
                                nested: [Int: (name: String, strings: [Int: String])] = [:]) throws(WireDecodeError) {
        var cursor = ProtobufCursor(payload, range: range)
        while let (number, value) = try cursor.next() {
            if let inner = nested[number], case .bytes(let r) = value {
                try check(payload, r, inner)
                continue
            }
            guard fieldError == nil, let field = schema.strings[number], case .bytes(let r) = value else { continue }
            let bytes = UnsafeRawBufferPointer(rebasing: payload[r])
            if bytes.contains(0) {
                fieldError = StatusError(.invalidArgument, "\(schema.name).\(field): contains a NUL byte")
            } else if String(validating: bytes, as: UTF8.self) == nil {
                fieldError = StatusError(.invalidArgument, "\(schema.name).\(field): not valid UTF-8")
            }
        }
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }
}
