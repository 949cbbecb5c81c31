/// What a finished backup of the event store holds: enough for the operator (and a test) to
/// know that the copy is whole without opening it.
public struct BackupReceipt: Sendable, Hashable {
    /// The file the verified copy was renamed to.
    public var path: String
    /// Events in the copy (checked against the live store's events up to `lastSequence`).
    public var events: UInt64
    /// The highest storage sequence number in the copy; 0 for an empty store.
    public var lastSequence: UInt64
    public var bytes: UInt64
    /// The daemon's clock when the copy was in place.
    public var finishedAtMs: Int64
    public var durationMs: UInt64

    public init(path: String, events: UInt64, lastSequence: UInt64, bytes: UInt64,
                finishedAtMs: Int64, durationMs: UInt64) {
        self.path = path
        self.events = events
        self.lastSequence = lastSequence
        self.bytes = bytes
        self.finishedAtMs = finishedAtMs
        self.durationMs = durationMs
    }
}
