import DCRStore

/// When the forwarder writes its cursor into the local store. Each write is a commit on the
/// store's writer, queued between the acknowledgements' commits; so while events flow it is
/// written at most once per `every`, and at once when the forwarder has caught up or stops. A
/// cursor behind the central table only costs a resend after a crash, which the central
/// primary key takes once.
struct CursorSaver {
    let every: Duration
    private let clock = ContinuousClock()
    private var saved: Int64 = 0
    private var savedAt: ContinuousClock.Instant?

    init(every: Duration) { self.every = every }

    /// The cursor as read from the store at start.
    mutating func loaded(_ seq: Int64) {
        saved = seq
        savedAt = clock.now
    }

    /// After a batch: written when the last write is `every` old.
    mutating func saveIfDue(_ seq: Int64, store: EventStore, target: String) throws {
        if let at = savedAt, at.duration(to: clock.now) < every { return }
        try save(seq, store: store, target: target)
    }

    /// When idle or stopping: written when the store's copy is behind.
    mutating func saveIfBehind(_ seq: Int64, store: EventStore, target: String) throws {
        if seq != saved { try save(seq, store: store, target: target) }
    }

    private mutating func save(_ seq: Int64, store: EventStore, target: String) throws {
        try store.setForwardCursor(target: target, seq: seq)
        saved = seq
        savedAt = clock.now
    }
}
