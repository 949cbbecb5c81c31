/// What a replay did, for the daemon's start-up log line ("replayed N events in T").
public struct ReplaySummary: Sendable, Hashable {
    public var count: Int
    public var duration: Duration

    public init(count: Int, duration: Duration) {
        self.count = count
        self.duration = duration
    }
}
