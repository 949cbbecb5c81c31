/// Counts per time bucket for the most recent `bucketCount` buckets, in memory that never grows.
///
/// Traffic can be anything from one event an hour to a replay of millions, and a daemon that runs
/// for months must not grow with either; so each slot remembers which bucket it currently holds
/// (its stamp) and is reset when a newer bucket lands on it. A stale slot is never summed, which
/// is what lets the ring sit idle for days and then answer correctly without a sweep or a timer.
/// Each bucket holds `lanes` counters side by side (one per event kind) so they share one stamp.
struct BucketRing: Sendable {
    let bucketMs: Int64
    let bucketCount: Int
    let lanes: Int
    private var stamps: [Int64]
    private var counts: [UInt32]

    init(bucketMs: Int64, bucketCount: Int, lanes: Int = 1) {
        precondition(bucketMs > 0 && bucketCount > 0 && lanes > 0)
        self.bucketMs = bucketMs
        self.bucketCount = bucketCount
        self.lanes = lanes
        self.stamps = Array(repeating: Int64.min, count: bucketCount)
        self.counts = Array(repeating: 0, count: bucketCount * lanes)
    }

    /// The bucket an instant falls in (floor division, so instants before 1970 work too).
    func bucket(ms: Int64) -> Int64 {
        ms >= 0 ? ms / bucketMs : (ms - bucketMs + 1) / bucketMs
    }

    private func slot(_ bucket: Int64) -> Int {
        let n = Int64(bucketCount)
        return Int(((bucket % n) + n) % n)
    }

    /// Adds `count` at `atMs` as seen at `nowMs`. An instant older than the ring's span is dropped
    /// (it can never be summed again); one after `nowMs` counts in the current bucket, because a
    /// window that ends now cannot see the future and a terminal's clock may run a little ahead.
    mutating func add(_ count: UInt32 = 1, lane: Int = 0, atMs: Int64, nowMs: Int64) {
        let now = bucket(ms: nowMs)
        let b = min(bucket(ms: atMs), now)
        guard b > now - Int64(bucketCount) else { return }
        let s = slot(b)
        if stamps[s] > b { return }  // the slot already holds a newer bucket: b is out of span
        if stamps[s] < b {
            stamps[s] = b
            for l in 0..<lanes { counts[s * lanes + l] = 0 }
        }
        counts[s * lanes + lane] &+= count
    }

    /// Takes one back from the bucket of `atMs` (as `add` placed it), when the slot still holds
    /// that bucket and it is not empty; otherwise the count has already aged out.
    mutating func subtract(lane: Int = 0, atMs: Int64, nowMs: Int64) {
        let now = bucket(ms: nowMs)
        let b = min(bucket(ms: atMs), now)
        guard b > now - Int64(bucketCount) else { return }
        let s = slot(b)
        guard stamps[s] == b, counts[s * lanes + lane] > 0 else { return }
        counts[s * lanes + lane] -= 1
    }

    /// The count in the bucket `bucketsAgo` before the one holding `nowMs` (0 = the current one).
    func count(lane: Int = 0, bucketsAgo: Int, nowMs: Int64) -> UInt32 {
        guard bucketsAgo >= 0 && bucketsAgo < bucketCount else { return 0 }
        let b = bucket(ms: nowMs) - Int64(bucketsAgo)
        let s = slot(b)
        return stamps[s] == b ? counts[s * lanes + lane] : 0
    }

    /// The sum over the current bucket and the `buckets - 1` before it.
    func sum(lane: Int = 0, buckets: Int, endingBucketsAgo: Int = 0, nowMs: Int64) -> UInt64 {
        var total: UInt64 = 0
        let last = min(endingBucketsAgo + buckets, bucketCount)
        var ago = endingBucketsAgo
        while ago < last {
            total += UInt64(count(lane: lane, bucketsAgo: ago, nowMs: nowMs))
            ago += 1
        }
        return total
    }
}
