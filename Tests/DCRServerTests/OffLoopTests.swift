@testable import DCRServer
import Synchronization
import Testing

@Suite("Reports and backups yield the CPU to acknowledgements")
struct OffLoopTests {
    @Test("work handed to the daemon's off-loop threads runs in the idle class at nice 10; the caller's thread keeps its own")
    func backgroundIsNiced() async throws {
        let before = (Self.niceness(), Self.policy())
        let seen = await withCheckedContinuation { (done: CheckedContinuation<(Int32, Int32), Never>) in
            OffLoop.background.run { done.resume(returning: (Self.niceness(), Self.policy())) }
        }
        #expect(seen.0 == 10)
        #expect(seen.1 == YieldingWorkers.idleClass)
        #expect(Self.niceness() == before.0, "only the worker threads are reniced")
        #expect(Self.policy() == before.1)
    }

    @Test("two pieces of work run side by side: a long one does not hold the next behind it")
    func twoAtOnce() async throws {
        let release = Mutex(false)
        let longStarted = Mutex(false)
        // The first blocks until the second has run; with one thread this would never end.
        let order = await withCheckedContinuation { (done: CheckedContinuation<[String], Never>) in
            let log = Mutex<[String]>([])
            OffLoop.background.run {
                longStarted.withLock { $0 = true }
                let held = Thread.wait(until: { release.withLock { $0 } })
                log.withLock { $0.append(held ? "long" : "long, alone for 10 s") }
                done.resume(returning: log.withLock { $0 })
            }
            OffLoop.background.run {
                _ = Thread.wait(until: { longStarted.withLock { $0 } })
                log.withLock { $0.append("short") }
                release.withLock { $0 = true }
            }
        }
        #expect(order == ["short", "long"])
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension OffLoopTests {
    /// The calling thread's scheduling policy.
    static func policy() -> Int32 { sched_getscheduler(0) }

    /// The calling thread's nice value (Linux: per thread).
    static func niceness() -> Int32 { getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) }
}

private extension Thread {
    /// Polls `condition` every millisecond; false when it does not hold within 10 s.
    static func wait(until condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            Thread.sleep(forTimeInterval: 0.001)
        }
        return true
    }
}
