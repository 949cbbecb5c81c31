/// What became of one appended event. The server acknowledges an event only on `.stored` or
/// `.duplicate`, because only then is it durably on disk.
public enum AppendOutcome: Sendable, Hashable {
    /// Committed with `synchronous=FULL`: it survives a crash or power loss from now on.
    case stored
    /// An event with the same `event_id` was stored before (or earlier in the same batch); the
    /// store is unchanged and the event must not be counted again.
    case duplicate
    /// Not stored; the terminal should retry later. The reason is short text for people and
    /// never contains client data ("disk full", "shutting down").
    case unavailable(String)
    /// Not stored, and a retry will not store it: a constraint of the store's schema refused it
    /// (validation should have caught it first; this is a bug to report, never an Ack). The
    /// reason names the constraint, never a value.
    case refused(String)
}
