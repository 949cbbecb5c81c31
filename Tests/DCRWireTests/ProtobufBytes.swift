/// A minimal protobuf writer for hand-made (including hostile) payloads, independent of the
/// codec under test.
struct ProtobufBytes {
    var bytes: [UInt8] = []

    mutating func varint(_ v: UInt64) {
        var v = v
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    mutating func field(_ number: Int, varint v: UInt64) {
        varint(UInt64(number << 3))
        varint(v)
    }

    mutating func field(_ number: Int, bytes b: [UInt8]) {
        varint(UInt64(number << 3 | 2))
        varint(UInt64(b.count))
        bytes += b
    }

    mutating func field(_ number: Int, string s: String) { field(number, bytes: Array(s.utf8)) }
}
