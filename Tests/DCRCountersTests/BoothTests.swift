import DCRModel
import Testing
@testable import DCRCounters

@Suite("Booths taken, from event times in any order")
struct BoothTests {
    let t = Fixture.at(2023, 5, 12, 14, 0)
    let minute: Int64 = 60_000

    func taken(_ c: LiveCounters, _ site: String = "H17", at now: Int64) -> UInt32? {
        c.load(site: site, nowMs: now).first?.boothsTaken
    }

    @Test("an intake takes its booth and a release frees it")
    func takeAndRelease() {
        var c = Fixture.counters()
        c.apply([Fixture.intake(at: t, booth: 3), Fixture.intake(at: t, booth: 4)])
        #expect(taken(c, at: t + minute) == 2)
        c.apply(Fixture.release(at: t + 20 * minute, booth: 3), nowMs: t + 20 * minute)
        #expect(taken(c, at: t + 20 * minute) == 1)
        #expect(c.load(site: "H17", nowMs: t).first?.capacity == 12)
    }

    @Test("booth 0 takes nothing and an intake at another site does not take this one")
    func boothZero() {
        var c = Fixture.counters()
        c.apply([Fixture.intake(at: t, booth: 0), Fixture.intake("SKYEN", at: t, booth: 3)])
        #expect(taken(c, at: t) == 0)
        #expect(taken(c, "SKYEN", at: t) == 1)
    }

    @Test("a booth never released is free again when the timeout has passed since its intake")
    func timeout() {
        var c = Fixture.counters(boothTimeoutMs: 45 * minute)
        c.apply(Fixture.intake(at: t, booth: 5), nowMs: t)
        #expect(taken(c, at: t + 45 * minute - 1) == 1)
        #expect(taken(c, at: t + 45 * minute) == 0)
        // An upload of an intake older than the timeout takes no booth at all.
        c.apply(Fixture.intake(at: t, booth: 6), nowMs: t + 2 * 60 * minute)
        #expect(taken(c, at: t + 2 * 60 * minute) == 0)
    }

    @Test("a release that arrives before its intake still frees the booth")
    func releaseBeforeIntake() {
        var c = Fixture.counters()
        let now = t + 30 * minute
        c.apply(Fixture.release(at: t + 25 * minute, booth: 2), nowMs: now)
        c.apply(Fixture.intake(at: t, booth: 2), nowMs: now)
        #expect(taken(c, at: now) == 0)
    }

    @Test("a release older than the booth's intake does not free it")
    func staleRelease() {
        var c = Fixture.counters()
        let now = t + 30 * minute
        c.apply(Fixture.intake(at: t + 10 * minute, booth: 2), nowMs: now)
        c.apply(Fixture.release(at: t + 5 * minute, booth: 2), nowMs: now)  // the previous client's
        #expect(taken(c, at: now) == 1)
        // A release at the very same millisecond as the intake frees it.
        c.apply(Fixture.release(at: t + 10 * minute, booth: 2), nowMs: now)
        #expect(taken(c, at: now) == 0)
    }

    @Test("an intake older than the booth's current occupant does not replace it")
    func olderIntake() {
        var c = Fixture.counters(boothTimeoutMs: 45 * minute)
        let now = t + 40 * minute
        c.apply(Fixture.intake(at: t + 30 * minute, booth: 7), nowMs: now)
        c.apply(Fixture.intake(at: t, booth: 7), nowMs: now)
        // Had the older intake replaced the occupant, the timeout would already have freed it.
        #expect(taken(c, at: t + 74 * minute) == 1)
        // And the older client's release (before the occupant came) does not free it either.
        c.apply(Fixture.release(at: t + 20 * minute, booth: 7), nowMs: now)
        #expect(taken(c, at: now) == 1)
    }

    @Test("a new intake after a release takes the booth again")
    func reuse() {
        var c = Fixture.counters()
        c.apply([Fixture.intake(at: t, booth: 1), Fixture.release(at: t + 20 * minute, booth: 1),
                 Fixture.intake(at: t + 22 * minute, booth: 1)])
        #expect(taken(c, at: t + 23 * minute) == 1)
    }

    @Test("lowering the capacity hides booths beyond it, raising it shows them again")
    func capacityChange() {
        var c = Fixture.counters()
        c.apply([Fixture.intake(at: t, booth: 2), Fixture.intake(at: t, booth: 10)])
        #expect(taken(c, at: t) == 2)
        c.reconfigure(sites: [Site(code: "H17", capacity: 6)], boothTimeoutMs: 45 * minute)
        #expect(taken(c, at: t) == 1)
        #expect(c.load(site: "H17", nowMs: t).first?.capacity == 6)
        c.reconfigure(sites: [Site(code: "H17", capacity: 12)], boothTimeoutMs: 45 * minute)
        #expect(taken(c, at: t) == 2)
    }
}
