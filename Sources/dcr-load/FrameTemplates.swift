import DCRModel
import DCRWire
import NIOCore

/// Request frames made by patching pre-encoded templates, as `redis-benchmark` patches its
/// `__rand_int__` placeholders: encoding an event through protobuf-c costs the client a few µs,
/// which on this project's 2-core machine is CPU taken from the daemon it measures.
///
/// The templates are `EventMaker`'s events over one full period of its variation (clients,
/// kinds, booths, genders, ages), so the daemon sees the same mix as from encoded events. Per
/// frame only three things change, each written in place at a fixed width: the request id (a
/// 5-byte varint, ids from 2^28), the event id (16 bytes) and `occurred_at_ms` (a 6-byte varint,
/// true for any date between 1971 and 2109).
struct FrameTemplates {
    private struct Template {
        let bytes: [UInt8]
        let eventIDAt: Int
        let occurredAtAt: Int
    }

    /// The event id every template carries until patched: unlikely anywhere else in a frame.
    private static let placeholderID = EventID(high: 0x5A17_C0DE_0BAD_F00D, low: 0xD15E_A5E0_FEED_BEEF)
    private static let firstRequestID: UInt64 = 1 << 28
    private static let placeholderMs: Int64 = 1 << 40

    private let templates: [Template]
    private let v7: Bool
    private var random = XorShiftGenerator()
    private var next = 0
    private(set) var requestID = firstRequestID

    init(site: String, booths: UInt32, v7: Bool) {
        self.v7 = v7
        var maker = EventMaker(ids: IDMaker(v7: true), site: site, booths: booths)
        // n % 4 (kind), n % 5000 (client), n % 2, n % 50, n % booths: one period is their lcm.
        let period = lcm(5000, Int(max(1, booths)))
        templates = (0..<period).map { _ in
            var event = maker.next()
            event.header.id = Self.placeholderID
            event.header.occurredAtMs = Self.placeholderMs
            var frame = ByteBuffer()
            WireCodec.writeRequestFrame(Request(id: Self.firstRequestID, .event(event)), into: &frame)
            let bytes = Array(frame.readableBytesView)
            // 5-byte frame header, then field 1 (tag 0x08) and the request id's varint.
            precondition(bytes[5] == 0x08, "the request id is not the first field")
            return Template(bytes: bytes,
                            eventIDAt: find(Self.placeholderID.bytes, in: bytes),
                            occurredAtAt: find(varint(UInt64(Self.placeholderMs), width: 6), in: bytes))
        }
    }

    /// Appends `count` frames, each with a new request id and event id, dated `nowMs`.
    mutating func append(_ count: Int, nowMs: Int64, into out: inout ByteBuffer) {
        let date = varint(UInt64(nowMs), width: 6)
        for _ in 0..<count {
            let t = templates[next]
            next = next + 1 == templates.count ? 0 : next + 1
            let id = IDMaker.make(v7: v7, nowMs: nowMs, using: &random)
            let request = requestID
            requestID += 1
            out.writeWithUnsafeMutableBytes(minimumWritableBytes: t.bytes.count) { raw in
                raw.copyBytes(from: t.bytes)
                writeVarint(request, width: 5, at: 6, in: raw)
                withUnsafeBytes(of: id.high.bigEndian) { raw.baseAddress!.advanced(by: t.eventIDAt).copyMemory(from: $0.baseAddress!, byteCount: 8) }
                withUnsafeBytes(of: id.low.bigEndian) { raw.baseAddress!.advanced(by: t.eventIDAt + 8).copyMemory(from: $0.baseAddress!, byteCount: 8) }
                for (i, b) in date.enumerated() { raw[t.occurredAtAt + i] = b }
                return t.bytes.count
            }
        }
    }
}

/// The random bits of `IDMaker`'s ids without a `getrandom(2)` per id: xorshift64*, seeded once
/// (a period of 2^64 - 1, so two ids of one run never share their random bits). The daemon only
/// needs the ids unique (and, for v7, time-ordered, as terminals make them).
struct XorShiftGenerator: RandomNumberGenerator {
    private var state: UInt64

    init() {
        var seed = SystemRandomNumberGenerator()
        state = seed.next() | 1
    }

    mutating func next() -> UInt64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return state &* 0x2545_F491_4F6C_DD1D
    }
}

/// Whether a response payload is an Ack: field 20 (`ack`) present and no `status` (field 2)
/// with a code other than OK. A scan of the top-level fields, without decoding the answer.
func isAck(_ payload: UnsafeRawBufferPointer) -> Bool {
    var i = 0, ack = false
    func readVarint() -> UInt64? {
        var v: UInt64 = 0, shift: UInt64 = 0
        while i < payload.count, shift < 64 {
            let b = payload[i]; i += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
        return nil
    }
    while i < payload.count {
        guard let key = readVarint() else { return false }
        switch key & 7 {
        case 0: guard readVarint() != nil else { return false }
        case 1: i += 8
        case 5: i += 4
        case 2:
            guard let length = readVarint(), i + Int(length) <= payload.count else { return false }
            let field = key >> 3
            if field == 20 { ack = true }
            // Status { code = 1 }: an error unless empty or its code is 0.
            if field == 2, length > 0, !(length >= 2 && payload[i] == 0x08 && payload[i + 1] == 0) { return false }
            i += Int(length)
        default: return false
        }
    }
    return ack
}

private func varint(_ value: UInt64, width: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: width)
    out.withUnsafeMutableBytes { writeVarint(value, width: width, at: 0, in: $0) }
    return out
}

/// `value` as exactly `width` varint bytes (it must need that many: the patched fields keep
/// their length).
private func writeVarint(_ value: UInt64, width: Int, at offset: Int, in raw: UnsafeMutableRawBufferPointer) {
    precondition(value >> (7 * UInt64(width - 1)) != 0 && value >> (7 * UInt64(width)) == 0, "varint width")
    var v = value
    for i in 0..<width {
        raw[offset + i] = UInt8(v & 0x7F) | (i < width - 1 ? 0x80 : 0)
        v >>= 7
    }
}

private func find(_ needle: [UInt8], in bytes: [UInt8]) -> Int {
    for start in 0...(bytes.count - needle.count) where bytes[start..<start + needle.count].elementsEqual(needle) {
        return start
    }
    preconditionFailure("placeholder not found in the template")
}

private func lcm(_ a: Int, _ b: Int) -> Int {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return a / x * b
}
