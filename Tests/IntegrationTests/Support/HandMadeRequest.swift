/// Request payloads written field by field, for bytes the codec would never produce (a NUL in a
/// string, a body in two parts, a field number past the limit).
struct HandMadeRequest {
    var bytes: [UInt8] = []

    static func varint(_ value: UInt64) -> [UInt8] {
        var v = value
        var out: [UInt8] = []
        while v >= 0x80 { out.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        out.append(UInt8(v))
        return out
    }

    mutating func field(_ number: Int, varint v: UInt64) {
        bytes += Self.varint(UInt64(number) << 3) + Self.varint(v)
    }

    mutating func field(_ number: Int, bytes b: [UInt8]) {
        bytes += Self.varint(UInt64(number) << 3 | 2) + Self.varint(UInt64(b.count)) + b
    }

    /// The fields of an Intake (Request field 20) or a Referral (23): 1 id, 2 site, 3 time,
    /// 4 booth, 10 client code; referrals also get 12 target = drug treatment.
    static func event(kind: Int = 20, id: UInt8, site: [UInt8], code: [UInt8], occurredAtMs: Int64) -> [UInt8] {
        var m = HandMadeRequest()
        m.field(1, bytes: [UInt8](repeating: 0xE1, count: 15) + [id])
        m.field(2, bytes: site)
        m.field(3, varint: UInt64(occurredAtMs))
        m.field(10, bytes: code)
        if kind == 23 { m.field(12, varint: 1) }
        return m.bytes
    }

    /// A whole Request: id, then the given (field number, message bytes) pairs.
    static func request(id: UInt64, _ parts: [(Int, [UInt8])]) -> [UInt8] {
        var r = HandMadeRequest()
        r.field(1, varint: id)
        for (n, b) in parts { r.field(n, bytes: b) }
        return r.bytes
    }
}
