/// Arrival rates for `Status` ("events per second over the last 1 s, 1 min, 5 min"), measured by
/// when events reached the daemon, not when they occurred: it shows how hard the daemon is
/// working, which a replay or a terminal's buffered upload changes and event times would hide.
///
/// Fixed memory: one 4-byte counter and one stamp per second for five minutes.
public struct RateMeter: Sendable {
    public static let maxSeconds = 300

    private var ring = BucketRing(bucketMs: 1_000, bucketCount: RateMeter.maxSeconds + 1)

    public init() {}

    public mutating func record(count: Int = 1, atMs: Int64) {
        guard count > 0 else { return }
        ring.add(UInt32(clamping: count), atMs: atMs, nowMs: atMs)
    }

    /// The mean rate over the `overSeconds` whole seconds before the current one (clamped to
    /// 1…300). The current second is left out because it has only just begun: counting it would
    /// make the 1 s rate drop towards zero at the start of every second.
    public func perSecond(overSeconds: Int, nowMs: Int64) -> Double {
        let n = min(max(overSeconds, 1), Self.maxSeconds)
        let events = ring.sum(buckets: n, endingBucketsAgo: 1, nowMs: nowMs)
        return Double(events) / Double(n)
    }
}
