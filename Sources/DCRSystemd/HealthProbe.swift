/// One part of the daemon that must show it is alive before the watchdog may ping.
///
/// The daemon, not this module, knows what "alive" means: an event loop that runs a submitted
/// task, a store writer that drains its queue. A probe's check is started once per ping interval
/// and must finish (returning true) before the next tick; a check that has not returned yet is not
/// started again, so a hung event loop costs one stuck task, not one per tick.
public struct HealthProbe: Sendable {
    /// Which part of the daemon a probe watches; used in log lines and by fault injection.
    public enum Component: String, Sendable, CaseIterable {
        case eventLoop = "event-loop"
        case storeWriter = "store-writer"
        case other
    }

    public let name: String
    public let component: Component
    let check: @Sendable () async -> Bool

    /// - Parameter check: returns whether the component is healthy. It may suspend (waiting for an
    ///   event loop to answer, say); not answering in time counts as unhealthy.
    public init(name: String, component: Component, check: @escaping @Sendable () async -> Bool) {
        self.name = name
        self.component = component
        self.check = check
    }

    /// A probe for work that is queued and completed, such as the store's writer: healthy when
    /// nothing is outstanding or something was completed since the previous tick.
    public static func progress(name: String, component: Component = .storeWriter,
                                beacon: ProgressBeacon) -> HealthProbe {
        HealthProbe(name: name, component: component) { beacon.checkProgress() }
    }
}
