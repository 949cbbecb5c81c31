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

    /// The name of the body message that Request field `number` holds; nil for a field that is
    /// not a body (`id`, or one this build does not know).
    ///
    /// This and `stringField` are switches, not dictionaries: they run for every field of every
    /// request, and as dictionaries of tuples they hashed, copied and released per field.
    static func bodyName(_ number: Int) -> String? {
        switch number {
        case 10: "hello"
        case 11: "ping"
        case 12: "cancel"
        case 20: "intake"
        case 21: "booth_release"
        case 22: "incident"
        case 23: "referral"
        case 30: "status"
        case 31: "load"
        case 32: "report"
        case 33: "watch"
        case 40: "reload"
        case 41: "backup"
        case 50: "turn_away"
        case 51: "suspension"
        case 52: "suspension_lift"
        case 53: "void"
        case 54: "amend"
        case 55: "referral_outcome"
        case 56: "history"
        default: nil
        }
    }

    /// A message whose string fields are checked: a body (by its Request field number), or the
    /// corrected event inside an amend.
    enum Message: Equatable {
        case body(Int)
        case amended(Int)

        /// What an error names: `intake`, or `amend.intake` for the event inside an amend.
        var name: String {
            switch self {
            case .body(let n): bodyName(n) ?? "request"
            case .amended(20): "amend.intake"
            case .amended(21): "amend.incident"
            case .amended(22): "amend.referral"
            case .amended(23): "amend.turn_away"
            case .amended: "amend.event"
            }
        }

        /// The name of string field `field`; nil for any other field.
        func stringField(_ field: Int) -> String? {
            switch (self, field) {
            case (.body(10), 2): "client_name"
            case (.body(10), 4): "credential"
            case (.body(20), 2), (.body(21), 2), (.body(22), 2), (.body(23), 2), (.body(50), 2), (.body(51), 2),
                 (.body(52), 2), (.body(53), 2), (.body(54), 2), (.body(55), 2), (.body(33), 2): "site"
            case (.body(20), 10), (.body(23), 10), (.body(51), 10), (.body(22), 13), (.body(50), 11): "client_code"
            case (.body(53), 12), (.body(54), 12), (.body(55), 12): "corrected_by"
            case (.body(31), 1): "site"
            case (.body(32), 2): "from"
            case (.body(32), 3): "to"
            case (.body(32), 5): "sites"
            case (.body(41), 1): "to"
            case (.amended(let n), 2) where (20...23).contains(n): "site"
            case (.amended(20), 10), (.amended(22), 10), (.amended(21), 13), (.amended(23), 11): "client_code"
            default: nil
            }
        }

        /// The message inside this one at `field` whose strings are checked too: an amend's
        /// corrected event (intake 20, incident 21, referral 22, turn-away 23).
        func nested(_ field: Int) -> Message? {
            guard self == .body(54), (20...23).contains(field) else { return nil }
            return .amended(field)
        }
    }

    init(_ payload: UnsafeRawBufferPointer) throws(WireDecodeError) {
        var cursor = ProtobufCursor(payload)
        var occurrences = 0
        while let (number, value) = try cursor.next() {
            guard Self.bodyName(number) != nil, case .bytes(let range) = value else { continue }
            occurrences += 1
            try check(payload, range, .body(number))
        }
        // Rare: a body in parts. A second pass rebuilds the request with them concatenated.
        if occurrences > 1 { merged = try Self.merge(payload) }
    }

    /// The request with its body's parts (those of the last body field number seen) as one
    /// field after every other top-level field, which is how protobuf defines the merge.
    private static func merge(_ payload: UnsafeRawBufferPointer) throws(WireDecodeError) -> [UInt8] {
        var cursor = ProtobufCursor(payload)
        var body: (number: Int, parts: [Range<Int>])?
        var others: [Range<Int>] = []  // every top-level field outside the body, tag included
        var fieldStart = 0
        while let (number, value) = try cursor.next() {
            defer { fieldStart = cursor.offset }
            guard bodyName(number) != nil, case .bytes(let range) = value else {
                others.append(fieldStart..<cursor.offset)
                continue
            }
            if body?.number == number { body!.parts.append(range) } else { body = (number, [range]) }
        }
        guard let body else { return Array(payload) }
        var out: [UInt8] = []
        for r in others { out += payload[r] }
        let length = body.parts.reduce(0) { $0 + $1.count }
        appendVarint(UInt64(body.number) << 3 | 2, to: &out)
        appendVarint(UInt64(length), to: &out)
        for r in body.parts { out += payload[r] }
        return out
    }

    private mutating func check(_ payload: UnsafeRawBufferPointer, _ range: Range<Int>, _ message: Message) throws(WireDecodeError) {
        var cursor = ProtobufCursor(payload, range: range)
        while let (number, value) = try cursor.next() {
            guard case .bytes(let r) = value else { continue }
            if let inner = message.nested(number) {
                try check(payload, r, inner)
                continue
            }
            guard fieldError == nil, let field = message.stringField(number) else { continue }
            let bytes = UnsafeRawBufferPointer(rebasing: payload[r])
            if bytes.contains(0) {
                fieldError = StatusError(.invalidArgument, "\(message.name).\(field): contains a NUL byte")
            } else if !Self.isUTF8(bytes) {
                fieldError = StatusError(.invalidArgument, "\(message.name).\(field): not valid UTF-8")
            }
        }
    }

    /// ASCII (nearly every field) is checked byte by byte without making a String.
    static func isUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if !bytes.contains(where: { $0 >= 0x80 }) { return true }
        return String(validating: bytes, as: UTF8.self) != nil
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
    }
}
