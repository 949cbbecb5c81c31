/// Requests per second for one connection (`max-request-rate`), with a burst of the same size.
/// Time comes from the caller (the daemon's clock), so a test decides when a token refills.
struct TokenBucket {
    let perSecond: Int
    private var tokens: Double
    private var lastMs: Int64?

    init(perSecond: Int) {
        self.perSecond = perSecond
        self.tokens = Double(perSecond)
    }

    mutating func take(nowMs: Int64) -> Bool {
        if let last = lastMs {
            tokens = min(Double(perSecond), tokens + Double(max(0, nowMs - last)) * Double(perSecond) / 1000)
        }
        lastMs = nowMs
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}
