/// A hash map from UInt64 to UInt64 in two flat arrays (open addressing, linear probing).
///
/// Reports with many groups (date × hour × municipality) or distinct clients over many groups
/// touch up to a million keys per query; Swift's `Dictionary` costs several times more per
/// operation than this, and the budget is 50 ms for any report.
struct FlatTable: Sendable {
    private static let vacant = UInt64.max
    private var keys: [UInt64]
    private var values: [UInt64]
    private var mask: Int
    /// 64 - log2(capacity): the hash takes the top bits of the product, as Fibonacci hashing wants.
    private var shift: UInt64
    private(set) var count = 0

    init(expected: Int = 16) {
        var capacity = 16
        while capacity < expected * 2 { capacity <<= 1 }
        keys = Array(repeating: Self.vacant, count: capacity)
        values = Array(repeating: 0, count: capacity)
        mask = capacity - 1
        shift = UInt64(64 - capacity.trailingZeroBitCount)
    }

    /// Adds `delta` to the value of `key` (a missing key counts as 0). `key` must not be UInt64.max.
    mutating func add(_ key: UInt64, _ delta: UInt64 = 1) {
        let s = slot(for: key)
        values[s] &+= delta
    }

    mutating func set(_ key: UInt64, _ value: UInt64) {
        let s = slot(for: key)
        values[s] = value
    }

    func value(_ key: UInt64) -> UInt64? {
        var s = hash(key) & mask
        while true {
            let k = keys[s]
            if k == key { return values[s] }
            if k == Self.vacant { return nil }
            s = (s + 1) & mask
        }
    }

    func forEach(_ body: (UInt64, UInt64) -> Void) {
        for s in keys.indices where keys[s] != Self.vacant { body(keys[s], values[s]) }
    }

    /// Fibonacci hashing: consecutive cell indices spread over the whole table.
    private func hash(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    private mutating func slot(for key: UInt64) -> Int {
        var s = hash(key) & mask
        while true {
            let k = keys[s]
            if k == key { return s }
            if k == Self.vacant {
                if (count + 1) * 2 > keys.count {
                    grow()
                    return slot(for: key)
                }
                keys[s] = key
                count += 1
                return s
            }
            s = (s + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = Array(repeating: Self.vacant, count: oldKeys.count * 2)
        values = Array(repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        shift -= 1
        count = 0
        for i in oldKeys.indices where oldKeys[i] != Self.vacant {
            set(oldKeys[i], oldValues[i])
        }
    }
}
