import Dispatch

/// Where work that must not hold an event loop runs (a backup, a report): a global dispatch
/// queue in the daemon. Tests and the fuzz target, which drive a session on an
/// `EmbeddedChannel` from one thread, run it inline, so an answer is there when the input has
/// been read (still in its slot, so request order holds either way).
public struct OffLoop: Sendable {
    let run: @Sendable (@escaping @Sendable () -> Void) -> Void

    public static let global = OffLoop { DispatchQueue.global().async(execute: $0) }
    public static let inline = OffLoop { $0() }
}
