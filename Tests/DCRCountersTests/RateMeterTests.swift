import Testing
@testable import DCRCounters

@Suite("Ingest rates by arrival")
struct RateMeterTests {
    let t0: Int64 = 1_700_000_000_000

    @Test("rates over 1 s, 60 s and 300 s count the whole seconds before the current one")
    func rates() {
        var meter = RateMeter()
        // 10 events a second for 5 minutes, then 100 in the last whole second.
        for s in 0..<300 { meter.record(count: 10, atMs: t0 + Int64(s) * 1_000 + 500) }
        meter.record(count: 90, atMs: t0 + 299_900)
        let now = t0 + 300_000 + 250
        meter.record(count: 7, atMs: now)  // the current second: not counted yet
        #expect(meter.perSecond(overSeconds: 1, nowMs: now) == 100)
        #expect(meter.perSecond(overSeconds: 60, nowMs: now) == Double(59 * 10 + 100) / 60)
        #expect(meter.perSecond(overSeconds: 300, nowMs: now) == Double(299 * 10 + 100) / 300)
        #expect(meter.perSecond(overSeconds: 1, nowMs: now + 1_000) == 7)
    }

    @Test("rates fall to zero after a long idle, with no stale seconds left over")
    func idle() {
        var meter = RateMeter()
        for i in 0..<100_000 { meter.record(atMs: t0 + Int64(i) * 37) }
        #expect(meter.perSecond(overSeconds: 300, nowMs: t0 + 86_400_000) == 0)
        #expect(meter.perSecond(overSeconds: 1, nowMs: t0 + 86_400_000 + 1_000) == 0)
    }

    @Test("windows outside 1…300 s are clamped")
    func clamped() {
        var meter = RateMeter()
        meter.record(count: 600, atMs: t0)
        #expect(meter.perSecond(overSeconds: 0, nowMs: t0 + 1_000) == 600)
        #expect(meter.perSecond(overSeconds: 10_000, nowMs: t0 + 1_000) == 2)
    }
}
