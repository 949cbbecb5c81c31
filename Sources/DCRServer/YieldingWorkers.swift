import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Threads for the work that runs off the event loops (reports, backups) at a lower CPU
/// priority than the acknowledgement path.
///
/// On a room's small machine a report over years of history keeps a core busy for tens of
/// milliseconds, back to back when a dashboard or a script asks in a loop. On the global
/// dispatch queue it competed at equal priority with the event loops and the store's writer:
/// paced acknowledgements beside a report loop had 4.8× the p99 of those without
/// (`Benchmarks/README.md`, "Acknowledgements beside a report loop"). Here the threads run in
/// Linux's idle scheduling class and at `niceness` (neither needs privilege), so a waking
/// acknowledgement thread takes the core from them; reports still get every cycle the
/// acknowledgements leave, which on a room's load is nearly all of them. The class alone is not
/// the whole answer: a thread already runnable can still wait behind one of these for a slice,
/// which is why a report also steps aside while acknowledgements are owed (`StepAside`).
final class YieldingWorkers: @unchecked Sendable {
    private let lock = NSCondition()
    private var queue: [@Sendable () -> Void] = []

    init(threads: Int, niceness: Int32, name: String) {
        for i in 0..<max(1, threads) {
            let threadName = "\(name)-\(i)"
            let thread = Thread { [self] in
                // On Linux the nice value is per thread, and `who` 0 is the calling thread
                // (setpriority(2), "Bugs"): this sets the worker's own, not the daemon's.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
                // Named for `top -H` and `perf` (Foundation's `Thread.name` does not reach the kernel).
                Self.nameThread(String(threadName.prefix(15)))
                Self.becomeIdleClass()
                work()
            }
            thread.name = threadName
            thread.start()
        }
    }

    func run(_ work: @escaping @Sendable () -> Void) {
        lock.lock()
        queue.append(work)
        lock.signal()
        lock.unlock()
    }

    /// Linux's `SCHED_IDLE` (5; the header defines it only for GNU sources): a waking thread of
    /// the normal class preempts an idle-class one at once. A nice value alone does not get
    /// that: measured, the scheduler let a nice-10 report run on for milliseconds after an
    /// event arrived (acknowledgement p99 3.2× beside a report loop). An idle-class thread still
    /// gets a core whenever nothing else wants it, which on a room's load is nearly always.
    static let idleClass: Int32 = 5

    /// Puts the calling thread in the idle scheduling class (no privilege needed to lower it).
    static func becomeIdleClass() {
        var parameters = sched_param(sched_priority: 0)
        _ = sched_setscheduler(0, idleClass, &parameters)
    }

    /// The calling thread's name as the kernel shows it (comm); best effort.
    static func nameThread(_ name: String) {
        let fd = open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = Array(name.utf8).withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    private func work() -> Never {
        while true {
            lock.lock()
            while queue.isEmpty { lock.wait() }
            let next = queue.removeFirst()
            lock.unlock()
            next()
        }
    }
}
