import DCRModel

/// A simulated client: the few parameters a room registers, plus how often they come.
struct SimulatedClient: Sendable {
    var code: String
    var gender: Gender
    /// Local day number of the (approximate) birthday, so ages advance over a long run.
    var birthDay: Int
    var municipality: UInt32
    var substance: Substance
    var route: Route
    /// Relative activity: visits are heavy-tailed, a few clients come very often.
    var weight: Double

    func age(on day: Int) -> UInt32 { UInt32(max(18, min(100, (day - birthDay) * 4 / 1461))) }
}

/// The clients of one site. A client is chosen for a visit with probability proportional to
/// their weight; a fraction of the pool is replaced every day (turnover).
struct ClientPool: Sendable {
    private(set) var clients: [SimulatedClient] = []
    private var cumulative: [Double] = []

    init(size: Int, day: Int, settings: SimulatorSettings, codes: inout Set<String>, rng: inout SplitMix64) {
        clients.reserveCapacity(size)
        for _ in 0..<max(1, size) { clients.append(Self.newClient(day: day, settings: settings, codes: &codes, rng: &rng)) }
        rebuild()
    }

    mutating func turnOver(day: Int, settings: SimulatorSettings, codes: inout Set<String>, rng: inout SplitMix64) {
        let leaving = rng.poisson(Double(clients.count) * settings.turnoverPerDay)
        guard leaving > 0 else { return }
        for _ in 0..<leaving {
            let slot = rng.int(0...(clients.count - 1))
            clients[slot] = Self.newClient(day: day, settings: settings, codes: &codes, rng: &rng)
        }
        rebuild()
    }

    private mutating func rebuild() {
        cumulative.removeAll(keepingCapacity: true)
        var sum = 0.0
        for c in clients { sum += c.weight; cumulative.append(sum) }
    }

    /// A visitor, by activity weight.
    func pick(_ rng: inout SplitMix64) -> Int {
        let x = rng.unit() * (cumulative.last ?? 0)
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > x { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    static let substances: [(Substance, Double)] = [
        (.cocaine, 0.50), (.heroin, 0.26), (.crack, 0.08), (.amphetamine, 0.05), (.methadone, 0.04),
        (.opioidMedicine, 0.03), (.benzodiazepine, 0.02), (.methamphetamine, 0.01), (.ketamine, 0.01),
    ]

    /// Copenhagen (101) and Frederiksberg (147) first, then the neighbours and the big cities;
    /// 0 = not registered.
    static let municipalities: [(UInt32, Double)] = [
        (101, 0.70), (147, 0.08), (167, 0.03), (185, 0.02), (151, 0.02), (173, 0.02), (461, 0.02),
        (751, 0.02), (0, 0.09),
    ]

    static func newClient(day: Int, settings: SimulatorSettings, codes: inout Set<String>,
                          rng: inout SplitMix64) -> SimulatedClient {
        let gender: Gender = rng.chance(settings.womenShare) ? .female : .male
        let age = max(18, min(65, settings.meanAge + settings.ageSpread * rng.gaussian()))
        let birthDay = day - Int(age * 365.25) - rng.int(0...364)
        let substance = rng.pick(substances)
        let route: Route
        switch substance {
        case .crack, .methamphetamine: route = .smoking
        case .methadone, .benzodiazepine: route = rng.chance(0.7) ? .injection : .oral
        default: route = rng.chance(0.68) ? .injection : .smoking
        }
        // Ontario-style code: gender, four letters, birth year. Unique within the run.
        let year = LocalDate(dayNumber: birthDay).year
        var code = ""
        repeat {
            let letters = String((0..<4).map { _ in Character(Unicode.Scalar(UInt8(65 + rng.int(0...25)))) })
            code = (gender == .female ? "K" : "M") + letters + String(year)
        } while !codes.insert(code).inserted
        let weight = _exp(settings.activitySpread * rng.gaussian())
        return SimulatedClient(code: code, gender: gender, birthDay: birthDay, municipality: rng.pick(municipalities),
                               substance: substance, route: route, weight: weight)
    }
}
