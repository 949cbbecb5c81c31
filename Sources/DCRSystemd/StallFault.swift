#if canImport(Glibc)
import Glibc
#endif

/// Fault injection, FOR TESTS ONLY: makes chosen health probes hang, so that a test can show that
/// the watchdog stops pinging (and systemd restarts the daemon) when a component stalls.
///
/// Set `DCRD_FAULT_STALL` to a comma-separated list of `event-loop` and `store-writer`. It is
/// deliberately absent from the configuration file, the man page and `--help`.
public struct StallFault: Sendable, Equatable {
    public static let environmentVariable = "DCRD_FAULT_STALL"

    /// The components whose probes never answer.
    public let stalled: Set<HealthProbe.Component>

    public init(stalled: Set<HealthProbe.Component>) {
        self.stalled = stalled
    }

    public static let none = StallFault(stalled: [])

    /// Reads `DCRD_FAULT_STALL`. Unknown names are returned in `unknown` so that the daemon can
    /// refuse to start rather than silently test nothing.
    public static func fromEnvironment() -> (fault: StallFault, unknown: [String]) {
        guard let raw = getenv(environmentVariable) else { return (.none, []) }
        return parse(String(cString: raw))
    }

    static func parse(_ text: String) -> (fault: StallFault, unknown: [String]) {
        var stalled: Set<HealthProbe.Component> = []
        var unknown: [String] = []
        for item in text.split(separator: ",") {
            let name = String(item.filter { $0 != " " })
            if name.isEmpty { continue }
            if let component = HealthProbe.Component(rawValue: name), component != .other {
                stalled.insert(component)
            } else {
                unknown.append(name)
            }
        }
        return (StallFault(stalled: stalled), unknown)
    }
}
