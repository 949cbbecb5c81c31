/// Reads protobuf's wire format field by field, with standard protobuf's limits: field numbers
/// 1…2^29−1, wire types 0, 1, 2 and 5 (groups are not part of proto3), varints of at most
/// 64 bits. protobuf-c is laxer on each of these; `RequestPrepass` uses this to be strict.
struct ProtobufCursor {
    enum Value {
        case varint(UInt64)
        case fixed
        /// A length-delimited payload: the byte range within the buffer.
        case bytes(Range<Int>)
    }

    static let maxFieldNumber: UInt64 = (1 << 29) - 1

    let buffer: UnsafeRawBufferPointer
    private(set) var offset: Int
    let end: Int

    init(_ buffer: UnsafeRawBufferPointer, range: Range<Int>? = nil) {
        self.buffer = buffer
        self.offset = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? buffer.count
    }

    /// The next field, or nil at the end of the range.
    mutating func next() throws(WireDecodeError) -> (number: Int, value: Value)? {
        guard offset < end else { return nil }
        let tag = try varint()
        let number = tag >> 3
        guard tag <= UInt64(UInt32.max), number >= 1, number <= Self.maxFieldNumber else {
            throw WireDecodeError.undecodable("request")
        }
        switch tag & 7 {
        case 0: return (Int(number), .varint(try varint()))
        case 1: try skip(8); return (Int(number), .fixed)
        case 5: try skip(4); return (Int(number), .fixed)
        case 2:
            let length = try varint()
            guard length <= UInt64(end - offset) else { throw WireDecodeError.undecodable("request") }
            let start = offset
            offset += Int(length)
            return (Int(number), .bytes(start..<offset))
        default:
            throw WireDecodeError.undecodable("request")
        }
    }

    private mutating func skip(_ n: Int) throws(WireDecodeError) {
        guard end - offset >= n else { throw WireDecodeError.undecodable("request") }
        offset += n
    }

    private mutating func varint() throws(WireDecodeError) -> UInt64 {
        var value: UInt64 = 0
        for i in 0..<10 {
            guard offset < end else { throw WireDecodeError.undecodable("request") }
            let byte = buffer[offset]
            offset += 1
            if i == 9 && byte > 1 { throw WireDecodeError.undecodable("request") }  // past 64 bits
            value |= UInt64(byte & 0x7F) << (7 * UInt64(i))
            if byte & 0x80 == 0 { return value }
        }
        throw WireDecodeError.undecodable("request")
    }
}
