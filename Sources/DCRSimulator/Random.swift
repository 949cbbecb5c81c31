/// A small, fast, seedable generator (SplitMix64): the same seed gives the same room, on every
/// platform and in every build.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension SplitMix64 {
    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Standard normal (Box–Muller).
    mutating func gaussian() -> Double {
        let u1 = max(unit(), 1e-12), u2 = unit()
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }

    /// Poisson: Knuth's method for small means, a rounded normal for large ones.
    mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean < 30 {
            let limit = _exp(-mean)
            var k = 0, p = 1.0
            repeat { k += 1; p *= unit() } while p > limit
            return k - 1
        }
        return max(0, Int((mean + mean.squareRoot() * gaussian()).rounded()))
    }

    /// An element of `table`, chosen with probability proportional to its weight.
    mutating func pick<T>(_ table: [(T, Double)]) -> T {
        let total = table.reduce(0) { $0 + $1.1 }
        var x = unit() * total
        for (value, weight) in table {
            if x < weight { return value }
            x -= weight
        }
        return table[table.count - 1].0
    }
}

// Foundation-free elementary functions (Glibc/Darwin libm through the stdlib's shims).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@inline(__always) func _log(_ x: Double) -> Double { log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { cos(x) }
@inline(__always) func _exp(_ x: Double) -> Double { exp(x) }
