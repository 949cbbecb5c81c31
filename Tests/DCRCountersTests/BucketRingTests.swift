import Testing
@testable import DCRCounters

@Suite("Bucket rings: fixed memory, no stale counts")
struct BucketRingTests {
    @Test("a count lands in its bucket and is summed while the bucket is inside the window")
    func countsAndSums() {
        var ring = BucketRing(bucketMs: 1_000, bucketCount: 60)
        let t0: Int64 = 1_700_000_000_000
        ring.add(atMs: t0, nowMs: t0)
        ring.add(3, atMs: t0 + 999, nowMs: t0 + 999)
        ring.add(atMs: t0 + 1_000, nowMs: t0 + 1_000)
        #expect(ring.sum(buckets: 1, nowMs: t0 + 1_000) == 1)
        #expect(ring.sum(buckets: 2, nowMs: t0 + 1_000) == 5)
        #expect(ring.count(bucketsAgo: 1, nowMs: t0 + 1_000) == 4)
        // Once its bucket is 60 buckets old, it is gone.
        #expect(ring.sum(buckets: 60, nowMs: t0 + 59_999) == 5)
        #expect(ring.sum(buckets: 60, nowMs: t0 + 60_000) == 1)
    }

    @Test("after a long idle the ring wraps without stale buckets leaking into sums")
    func wrapAfterIdle() {
        var ring = BucketRing(bucketMs: 60_000, bucketCount: 1_440)
        let t0: Int64 = 1_700_000_000_000
        for m in 0..<1_440 { ring.add(atMs: t0 + Int64(m) * 60_000, nowMs: t0 + Int64(m) * 60_000) }
        #expect(ring.sum(buckets: 1_440, nowMs: t0 + 1_439 * 60_000) == 1_440)
        // Eight days and a bit later every slot's stamp is stale, whatever slot "now" maps to.
        let later = t0 + 8 * 86_400_000 + 17 * 60_000
        #expect(ring.sum(buckets: 1_440, nowMs: later) == 0)
        ring.add(atMs: later, nowMs: later)
        #expect(ring.sum(buckets: 1_440, nowMs: later) == 1)
        #expect(ring.count(bucketsAgo: 1_440, nowMs: later) == 0)
        #expect(ring.bucketCount == 1_440)
    }

    @Test("an instant older than the span is dropped, a future one counts now")
    func outOfSpan() {
        var ring = BucketRing(bucketMs: 1_000, bucketCount: 10)
        let now: Int64 = 1_700_000_000_000
        ring.add(atMs: now - 10_000, nowMs: now)
        #expect(ring.sum(buckets: 10, nowMs: now) == 0)
        ring.add(atMs: now - 9_000, nowMs: now)
        ring.add(atMs: now + 120_000, nowMs: now)
        #expect(ring.count(bucketsAgo: 9, nowMs: now) == 1)
        #expect(ring.count(bucketsAgo: 0, nowMs: now) == 1)
    }

    @Test("a clock that steps back cannot overwrite a newer bucket with an older one")
    func clockStepsBack() {
        var ring = BucketRing(bucketMs: 1_000, bucketCount: 10)
        let t: Int64 = 1_700_000_000_000
        ring.add(atMs: t, nowMs: t)
        // 10 s earlier lands on the same slot; it is outside the span of what the slot holds.
        ring.add(atMs: t - 10_000, nowMs: t - 10_000)
        #expect(ring.sum(buckets: 10, nowMs: t) == 1)
    }

    @Test("lanes share a stamp but count separately")
    func lanes() {
        var ring = BucketRing(bucketMs: 1_000, bucketCount: 5, lanes: 4)
        let t: Int64 = 1_700_000_000_000
        ring.add(lane: 2, atMs: t, nowMs: t)
        ring.add(lane: 3, atMs: t, nowMs: t)
        ring.add(lane: 3, atMs: t, nowMs: t)
        #expect(ring.sum(lane: 0, buckets: 5, nowMs: t) == 0)
        #expect(ring.sum(lane: 2, buckets: 5, nowMs: t) == 1)
        #expect(ring.sum(lane: 3, buckets: 5, nowMs: t) == 2)
        // A new bucket on the slot resets every lane.
        ring.add(lane: 0, atMs: t + 5_000, nowMs: t + 5_000)
        #expect(ring.sum(lane: 3, buckets: 5, nowMs: t + 5_000) == 0)
        #expect(ring.sum(lane: 0, buckets: 5, nowMs: t + 5_000) == 1)
    }
}
