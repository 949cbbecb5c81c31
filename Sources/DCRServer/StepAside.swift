#if canImport(Glibc)
import Glibc
#endif

/// What a report does between days of its scan: while acknowledgements are owed, it sleeps
/// until they are paid, so the event loops and the store's writer have both cores.
///
/// A wait ends when nothing is owed any more (the event loop that paid the last one wakes it),
/// or after `longestWait`. Once a report has waited `longestWait` in all (in one wait that ran
/// out, or in many short ones: ingest so steady that something is nearly always owed), it runs
/// on for `quantum` before it looks again, so under any load it still gets a third of a core.
/// At a room's pace (an event every few milliseconds, answered in a few hundred microseconds) a
/// report of a few milliseconds only ever waits while an event is actually in flight.
struct StepAside {
    static let longestWait: UInt64 = 2_000_000  // ns
    static let quantum: UInt64 = 1_000_000      // ns of running after a wait ran out

    let owed: OwedAcknowledgements
    /// Monotonic nanoseconds, and the wait for `owed` to be paid until a deadline (true when
    /// paid); the tests pass their own.
    let now: () -> UInt64
    let waitUntilPaid: (_ deadlineNs: UInt64) -> Bool
    private var runsUntil: UInt64 = 0
    /// Time waited since the last quantum.
    private var waited: UInt64 = 0

    init(owed: OwedAcknowledgements, now: @escaping () -> UInt64 = StepAside.monotonicNow,
         waitUntilPaid: ((UInt64) -> Bool)? = nil) {
        self.owed = owed
        self.now = now
        self.waitUntilPaid = waitUntilPaid ?? { owed.waitUntilPaid(deadlineNs: $0) }
    }

    /// Called between days: returns at once when nothing is owed (one atomic load).
    mutating func betweenDays() {
        guard owed.any else { return }
        let start = now()
        if start < runsUntil { return }
        let paid = waitUntilPaid(start + Self.longestWait - min(waited, Self.longestWait))
        let end = now()
        waited += end - start
        if !paid || waited >= Self.longestWait {
            runsUntil = end + Self.quantum
            waited = 0
        }
    }

    static func monotonicNow() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
