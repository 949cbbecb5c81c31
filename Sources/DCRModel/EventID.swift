/// The terminal-made UUID that identifies an event; the idempotency key, so a resend after a lost
/// acknowledgement is recognised as the same event.
public struct EventID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Nil unless exactly 16 bytes: the wire's rule for `event_id`.
    ///
    /// Inlinable so that every caller gets a version for its own collection type: unspecialised,
    /// the generic iteration was 7% of the daemon's ingest profile.
    @inlinable
    public init?<Bytes: Collection>(bytes: Bytes) where Bytes.Element == UInt8 {
        guard bytes.count == 16 else { return nil }
        var h: UInt64 = 0, l: UInt64 = 0
        var i = 0
        for b in bytes {
            if i < 8 { h = h << 8 | UInt64(b) } else { l = l << 8 | UInt64(b) }
            i += 1
        }
        self.init(high: h, low: l)
    }

    /// A random (version 4) id, for terminals, the simulator and tests.
    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> EventID {
        let h = (generator.next() & ~0xF000) | 0x4000
        let l = (generator.next() & ~(0xC000 << 48)) | (0x8000 << 48)
        return EventID(high: h, low: l)
    }

    public static func random() -> EventID {
        var g = SystemRandomNumberGenerator()
        return random(using: &g)
    }

    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 16) { buffer, count in
            for i in 0..<8 {
                buffer[i] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(i)))
                buffer[8 + i] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(i)))
            }
            count = 16
        }
    }

    /// Canonical UUID text, 8-4-4-4-12 lower-case hex.
    public var description: String {
        let hex = bytes.map { b in
            let s = String(b, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
        let c = Array(hex)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-"
            + String(c[16..<20]) + "-" + String(c[20..<32])
    }

    /// Parses UUID text (with or without dashes).
    public init?(uuidString: String) {
        let hex = uuidString.filter { $0 != "-" }
        guard hex.count == 32 else { return nil }
        var out: [UInt8] = []
        var it = hex.makeIterator()
        while let a = it.next(), let b = it.next() {
            guard let v = UInt8(String([a, b]), radix: 16) else { return nil }
            out.append(v)
        }
        self.init(bytes: out)
    }

    public static func < (a: EventID, b: EventID) -> Bool {
        (a.high, a.low) < (b.high, b.low)
    }
}
