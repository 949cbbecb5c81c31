import DCRModel

/// The rolling sums of one site, per event kind, over the last second up to the last 24 hours.
///
/// Two rings instead of one: per-second buckets for the last hour make the 1 s … 1 h windows exact
/// to the second (the on-call lead compares "last 5 minutes" figures, and an event exactly 5
/// minutes old must not flicker in and out), while per-minute buckets keep 24 hours in 1,440
/// slots. Together about 120 KB per site, whatever the traffic.
struct SiteWindows: Sendable {
    static let secondsSpan = 3_600
    static let minutesSpan = 1_440

    private var seconds = BucketRing(bucketMs: 1_000, bucketCount: SiteWindows.secondsSpan,
                                     lanes: SiteWindows.lanes)
    private var minutes = BucketRing(bucketMs: 60_000, bucketCount: SiteWindows.minutesSpan,
                                     lanes: SiteWindows.lanes)

    /// One lane per event kind (suspensions and lifts are never recorded in windows, but a lane
    /// per kind keeps `lane` a plain subtraction that cannot forget a new kind).
    static let lanes = EventKind.allCases.count

    static func lane(_ kind: EventKind) -> Int { Int(kind.rawValue) - 1 }

    mutating func record(_ kind: EventKind, atMs: Int64, nowMs: Int64) {
        let lane = Self.lane(kind)
        seconds.add(lane: lane, atMs: atMs, nowMs: nowMs)
        minutes.add(lane: lane, atMs: atMs, nowMs: nowMs)
    }

    /// Takes back one event `record` counted, if its buckets are still in the rings' span.
    mutating func remove(_ kind: EventKind, atMs: Int64, nowMs: Int64) {
        let lane = Self.lane(kind)
        seconds.subtract(lane: lane, atMs: atMs, nowMs: nowMs)
        minutes.subtract(lane: lane, atMs: atMs, nowMs: nowMs)
    }

    /// Events of `kind` in the current second and the `seconds - 1` before it. Up to an hour this
    /// is exact to the second; beyond, to the minute (the current minute and the ones before it,
    /// rounded up to whole minutes), capped at 24 hours.
    func sum(_ kind: EventKind, seconds window: Int, nowMs: Int64) -> UInt64 {
        guard window > 0 else { return 0 }
        let lane = Self.lane(kind)
        if window <= Self.secondsSpan {
            return seconds.sum(lane: lane, buckets: window, nowMs: nowMs)
        }
        let minutesWanted = min((window + 59) / 60, Self.minutesSpan)
        return minutes.sum(lane: lane, buckets: minutesWanted, nowMs: nowMs)
    }

    /// Events of `kind` per minute for the last `count` minutes, oldest first, current minute last.
    func perMinute(_ kind: EventKind, count: Int, nowMs: Int64) -> [UInt32] {
        let lane = Self.lane(kind)
        return (0..<count).reversed().map { minutes.count(lane: lane, bucketsAgo: $0, nowMs: nowMs) }
    }
}
