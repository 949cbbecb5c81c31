/// An event and every correction of it, as `dcrctl history` shows them. Carries no client code
/// or pseudonym: `summary` describes the fields that count.
public struct EventHistory: Sendable, Hashable {
    public struct Entry: Sendable, Hashable {
        public var id: EventID
        public var kind: EventKind
        public var site: String
        public var occurredAtMs: Int64
        public var receivedAtMs: Int64
        /// Corrections: who made it.
        public var correctedBy: Corrector
        public var reason: CorrectionReason
        public var summary: String

        public init(id: EventID, kind: EventKind, site: String, occurredAtMs: Int64, receivedAtMs: Int64,
                    correctedBy: Corrector = .unknown, reason: CorrectionReason = .unspecified, summary: String) {
            self.id = id
            self.kind = kind
            self.site = site
            self.occurredAtMs = occurredAtMs
            self.receivedAtMs = receivedAtMs
            self.correctedBy = correctedBy
            self.reason = reason
            self.summary = summary
        }
    }

    /// The event first, then its corrections in storage order.
    public var entries: [Entry]
    /// False when the event is voided.
    public var counted: Bool
    /// The summary of the state that counts; empty when voided.
    public var countedAs: String

    public init(entries: [Entry], counted: Bool, countedAs: String) {
        self.entries = entries
        self.counted = counted
        self.countedAs = countedAs
    }
}
