/// Which booths of one site are taken, decided from event times rather than arrival order.
///
/// Terminals upload buffered events late and in any order, so a booth keeps only the latest
/// intake and the latest release it has heard of: a release frees the booth only if it is not
/// older than that intake, and an older intake can never displace a newer occupant. A booth
/// whose release never arrives (a terminal lost, staff forgot) is free again `timeoutMs` after
/// its intake, computed when asked, so no timer is needed.
struct BoothBoard: Sendable {
    private struct Booth: Sendable {
        var lastIntakeMs: Int64 = .min
        var lastReleaseMs: Int64 = .min
    }

    private var booths: [UInt32: Booth] = [:]

    mutating func intake(booth: UInt32, atMs: Int64) {
        guard booth > 0 else { return }
        booths[booth, default: Booth()].lastIntakeMs = max(booths[booth]?.lastIntakeMs ?? .min, atMs)
    }

    mutating func release(booth: UInt32, atMs: Int64) {
        guard booth > 0 else { return }
        booths[booth, default: Booth()].lastReleaseMs = max(booths[booth]?.lastReleaseMs ?? .min, atMs)
    }

    func isTaken(booth: UInt32, nowMs: Int64, timeoutMs: Int64) -> Bool {
        guard let b = booths[booth], b.lastIntakeMs != .min else { return false }
        if b.lastReleaseMs >= b.lastIntakeMs { return false }
        return nowMs - b.lastIntakeMs < timeoutMs
    }

    /// Taken booths among 1…capacity: a booth beyond a capacity lowered by a reload no longer
    /// exists for the dashboard, so it cannot push "taken" above capacity.
    func taken(capacity: UInt32, nowMs: Int64, timeoutMs: Int64) -> UInt32 {
        var n: UInt32 = 0
        for booth in booths.keys where booth <= capacity {
            if isTaken(booth: booth, nowMs: nowMs, timeoutMs: timeoutMs) { n += 1 }
        }
        return n
    }
}
