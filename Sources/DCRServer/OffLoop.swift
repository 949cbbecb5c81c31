import Dispatch

/// Where work that must not hold an event loop runs (a backup, a report): in the daemon, two
/// threads that yield the CPU to acknowledgements (`YieldingWorkers`: Linux's idle class).
/// Tests and the fuzz target, which drive a session on an `EmbeddedChannel` from one thread, run
/// it inline, so an answer is there when the input has been read (still in its slot, so request
/// order holds either way).
public struct OffLoop: Sendable {
    let run: @Sendable (@escaping @Sendable () -> Void) -> Void
    /// Whether long work on it waits for owed acknowledgements (`StepAside`): on its own
    /// threads, yes; inline, on the thread that would pay them, never.
    let stepsAside: Bool

    /// Two threads: a backup (minutes on a large store) does not hold every report behind it.
    /// Idle class and nice 10: an arriving event's threads preempt them; reports on them also
    /// step aside while acknowledgements are owed.
    public static let background: OffLoop = {
        let workers = YieldingWorkers(threads: 2, niceness: 10, name: "dcr-offloop")
        return OffLoop(run: { workers.run($0) }, stepsAside: true)
    }()
    public static let inline = OffLoop(run: { $0() }, stepsAside: false)
}
