import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// How many events the daemon has read and not yet answered: from the moment a session hands
/// one to the store until its Ack (or refusal) has been written to the connection.
///
/// Work that can wait (a report) waits between steps while it is above zero (`StepAside`). The
/// scheduler alone does not give acknowledgements that: measured with `perf sched`, an
/// idle-class report thread ran on for a whole 3 ms slice while an event loop, preempted a
/// moment before by the store's writer, sat runnable beside it with an Ack to write
/// (`Benchmarks/README.md`, "Acknowledgements beside a report loop").
///
/// The event loops pay for this with one atomic add per event read and one subtraction per
/// delivery of answers; a waiting report is woken only when the count reaches zero and only if
/// it is waiting, so a loop without reports never touches the condition variable.
public final class OwedAcknowledgements: @unchecked Sendable {
    private let count = Atomic<Int>(0)
    private let waiters = Atomic<Int>(0)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        // Deadlines on the monotonic clock: a wall clock set back must not stretch a wait.
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    /// An event was handed to the store.
    func owe() { count.add(1, ordering: .sequentiallyConsistent) }

    /// `n` answers were written to their connections.
    ///
    /// An event loop never waits here for a report: the mutex is only tried. When a waiting
    /// report holds it (it is between waking and returning, or between its look at the count
    /// and its wait), the report is either awake already or sleeps to its deadline (at most
    /// `StepAside.longestWait`), which delays the report, never an acknowledgement. Blocking
    /// instead could leave the loop waiting for an idle-class thread to get a core back.
    func paid(_ n: Int) {
        let left = count.subtract(n, ordering: .sequentiallyConsistent).newValue
        guard left == 0, waiters.load(ordering: .sequentiallyConsistent) > 0 else { return }
        guard pthread_mutex_trylock(mutex) == 0 else { return }
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// True while any event read is still unanswered.
    var any: Bool { count.load(ordering: .relaxed) > 0 }

    /// Waits until nothing is owed or the monotonic clock reaches `deadlineNs`; true when
    /// nothing is owed.
    func waitUntilPaid(deadlineNs: UInt64) -> Bool {
        waiters.add(1, ordering: .sequentiallyConsistent)
        defer { waiters.subtract(1, ordering: .sequentiallyConsistent) }
        var deadline = timespec(tv_sec: Int(deadlineNs / 1_000_000_000), tv_nsec: Int(deadlineNs % 1_000_000_000))
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        // `paid` makes the count zero, then reads `waiters`: either it sees this waiter, or this
        // loop sees the zero. When it sees the waiter but finds the mutex taken (this thread is
        // between its look at the count and its wait), it does not wait for it: this wait then
        // ends at its deadline, a report late by at most that, never an acknowledgement.
        while count.load(ordering: .sequentiallyConsistent) > 0 {
            if pthread_cond_timedwait(condition, mutex, &deadline) == ETIMEDOUT {
                return count.load(ordering: .sequentiallyConsistent) <= 0
            }
        }
        return true
    }
}
