import DCRModel

/// Deterministic events of every kind for integration tests.
struct EventFactory {
    var rng: SplitMix64
    var now: Int64

    init(seed: UInt64, now: Int64 = DaemonProcess.testClockStartMs) {
        rng = SplitMix64(seed: seed)
        self.now = now
    }

    mutating func id() -> EventID { EventID(high: rng.next(), low: rng.next()) }

    /// The n-th event of a mixed stream: mostly intakes, some releases, incidents and referrals.
    mutating func event(_ n: Int, site: String = "H17", capacity: UInt32 = 12) -> Event {
        let header = EventHeader(id: id(), site: site, occurredAtMs: now - Int64(n % 600) * 1000,
                                 booth: UInt32(n % Int(capacity)) + 1)
        switch n % 10 {
        case 0...5:
            return .intake(Intake(header: header, client: .code(ClientCode("client-\(n % 97)")),
                                  gender: n % 5 == 0 ? .female : .male, age: UInt32(20 + n % 40),
                                  municipality: 101, substance: n % 3 == 0 ? .heroin : .cocaine,
                                  route: n % 2 == 0 ? .injection : .smoking))
        case 6, 7:
            return .boothRelease(BoothRelease(header: header))
        case 8:
            return .incident(Incident(header: header, kind: .violence, victimGender: .female, victimRole: .client))
        default:
            return .referral(Referral(header: header, client: .code(ClientCode("client-\(n % 97)")), gender: .male, target: .housing))
        }
    }
}

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
