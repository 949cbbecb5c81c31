/// An independent reading of a `Request` payload, written from the protobuf encoding spec and
/// sharing no code with DCRWire, so that the decode target can tell what the codec *should*
/// have seen: the exact bytes of every string field, and whether the bytes are standard
/// protobuf at all (field numbers 1…2^29−1, wire types 0/1/2/5, varints of at most 10 bytes).
struct WireReference {
    /// A top-level field or a field of the body message.
    struct Field {
        var number: UInt64
        var wireType: UInt8
        /// The payload of a length-delimited field.
        var bytes: ArraySlice<UInt8>?
    }

    /// Request field numbers of the `body` oneof, with their string fields (number → name).
    static let bodyStrings: [UInt64: [UInt64: String]] = [
        10: [2: "client_name", 4: "credential"], 11: [:], 12: [:],
        20: [2: "site", 10: "client_code"], 21: [2: "site"], 22: [2: "site", 13: "client_code"],
        23: [2: "site", 10: "client_code"], 30: [:], 31: [1: "site"], 32: [2: "from", 3: "to", 5: "sites"],
        33: [2: "site"], 40: [:], 41: [1: "to"],
        // Issue 13's bodies. `corrected_by` (12) is the daemon's to set, so it is not listed.
        50: [2: "site", 11: "client_code"], 51: [2: "site", 10: "client_code"], 52: [2: "site"],
        53: [2: "site"], 54: [2: "site"], 55: [2: "site"], 56: [:],
    ]

    /// Not standard protobuf somewhere: at the top level or inside any occurrence of the body.
    var malformed = false
    /// A string field of the body (in any occurrence) holds a NUL byte or invalid UTF-8.
    var badString = false
    /// Every string field of the body came with wire type 2 (so "last occurrence" is well defined).
    var stringsWellTyped = true
    /// The body's field number after the oneof rules (a different member replaces the earlier).
    var bodyNumber: UInt64?
    /// The body message as protobuf defines the merge of its occurrences: their concatenation.
    var body: [UInt8] = []
    /// String fields of the merged body, every occurrence in order, by field number.
    var strings: [UInt64: [ArraySlice<UInt8>]] = [:]

    init(_ payload: [UInt8]) {
        guard let top = Self.fields(payload[...]) else { malformed = true; return }
        for f in top {
            guard let schema = Self.bodyStrings[f.number], f.wireType == 2, let part = f.bytes else { continue }
            guard let inner = Self.fields(part) else { malformed = true; continue }
            for g in inner {
                guard schema[g.number] != nil else { continue }
                guard let s = g.bytes else { stringsWellTyped = false; continue }
                if s.contains(0) || !Self.isUTF8(s) { badString = true }
            }
            if bodyNumber != f.number { bodyNumber = f.number; body = [] }
            body += part
        }
        guard let n = bodyNumber, let schema = Self.bodyStrings[n], let inner = Self.fields(body[...]) else { return }
        for g in inner where schema[g.number] != nil {
            if let s = g.bytes { strings[g.number, default: []].append(s) }
        }
    }

    /// The last occurrence of a string field, as the decoded value must read it ("" if absent).
    func last(_ number: UInt64) -> String {
        strings[number]?.last.map { String(decoding: $0, as: UTF8.self) } ?? ""
    }

    func all(_ number: UInt64) -> [String] {
        (strings[number] ?? []).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Every field of `bytes`, or nil if they are not standard protobuf.
    static func fields(_ bytes: ArraySlice<UInt8>) -> [Field]? {
        var out: [Field] = []
        var i = bytes.startIndex
        func varint() -> UInt64? {
            var v: UInt64 = 0
            var shift: UInt64 = 0
            while i < bytes.endIndex, shift < 70 {
                let b = bytes[i]
                i += 1
                if shift == 63 && b > 1 { return nil }
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
            return nil
        }
        while i < bytes.endIndex {
            guard let tag = varint(), tag <= UInt64(UInt32.max) else { return nil }
            let number = tag >> 3, type = UInt8(tag & 7)
            guard number >= 1, number < 1 << 29 else { return nil }
            switch type {
            case 0: guard varint() != nil else { return nil }; out.append(Field(number: number, wireType: 0))
            case 1, 5:
                let n = type == 1 ? 8 : 4
                guard bytes.endIndex - i >= n else { return nil }
                i += n
                out.append(Field(number: number, wireType: type))
            case 2:
                guard let len = varint(), len <= UInt64(bytes.endIndex - i) else { return nil }
                out.append(Field(number: number, wireType: 2, bytes: bytes[i..<i + Int(len)]))
                i += Int(len)
            default: return nil
            }
        }
        return out
    }

    /// UTF-8 as RFC 3629 defines it: no overlongs, no surrogates, nothing past U+10FFFF.
    static func isUTF8(_ s: ArraySlice<UInt8>) -> Bool {
        var i = s.startIndex
        while i < s.endIndex {
            let b = s[i]
            let (n, low, high): (Int, UInt8, UInt8)
            switch b {
            case 0x00...0x7F: i += 1; continue
            case 0xC2...0xDF: (n, low, high) = (1, 0x80, 0xBF)
            case 0xE0: (n, low, high) = (2, 0xA0, 0xBF)
            case 0xED: (n, low, high) = (2, 0x80, 0x9F)
            case 0xE1...0xEF: (n, low, high) = (2, 0x80, 0xBF)
            case 0xF0: (n, low, high) = (3, 0x90, 0xBF)
            case 0xF4: (n, low, high) = (3, 0x80, 0x8F)
            case 0xF1...0xF3: (n, low, high) = (3, 0x80, 0xBF)
            default: return false
            }
            guard s.endIndex - i > n, (low...high).contains(s[i + 1]) else { return false }
            for k in 2...max(2, n) where k <= n { guard (0x80...0xBF).contains(s[i + k]) else { return false } }
            i += n + 1
        }
        return true
    }
}
