import Synchronization

/// How many HTTP connections are open on all `http:` listeners together, against
/// `http-max-connections`: a scraper or screen that leaks connections cannot take the daemon's
/// file descriptors, which the terminals need.
public final class ConnectionGate: Sendable {
    private let open = Mutex(0)
    private let limit: Int

    public init(limit: Int) { self.limit = limit }

    /// False (and nothing counted) when the limit is reached.
    func enter() -> Bool {
        open.withLock { n in
            guard n < limit else { return false }
            n += 1
            return true
        }
    }

    func leave() { open.withLock { $0 -= 1 } }

    public var count: Int { open.withLock { $0 } }
}
