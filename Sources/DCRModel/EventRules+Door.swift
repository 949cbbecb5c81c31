/// The rules of the events about the door rather than a booth: turn-aways and suspensions.
extension EventRules {
    func checkTurnAway(_ e: TurnAway) throws(StatusError) {
        if e.reason == .unspecified {
            throw StatusError(.invalidArgument, "turn_away.reason: required")
        }
        if let c = e.client { try checkClient(c, field: "turn_away.client_code") }
        if e.age != 0 && !Self.ageRange.contains(e.age) {
            throw StatusError(.invalidArgument, "turn_away.age: \(e.age) is outside \(Self.ageRange.lowerBound)…\(Self.ageRange.upperBound) (0 = unknown)")
        }
    }

    /// `fromMs` is already resolved (0 became `occurredAtMs` in decoding).
    func checkSuspension(_ e: Suspension) throws(StatusError) {
        try checkClient(e.client, field: "suspension.client_code")
        if e.reason == .unspecified {
            throw StatusError(.invalidArgument, "suspension.reason: required")
        }
        if e.fromMs < Self.earliestMs {
            throw StatusError(.invalidArgument, "suspension.from_ms: \(e.fromMs) is before 2000-01-01 (milliseconds since 1970 expected)")
        }
        if e.untilMs <= e.fromMs {
            throw StatusError(.invalidArgument, "suspension.until_ms: required, after from_ms")
        }
        if e.untilMs - e.fromMs > maxSuspensionMs {
            throw StatusError(.invalidArgument, "suspension.until_ms: \(Self.hours(e.untilMs - e.fromMs)) after from_ms; a suspension lasts at most \(Self.hours(maxSuspensionMs)) (max-suspension)")
        }
    }

    /// "25 h", "1.5 h": durations as the staff think of suspensions.
    public static func hours(_ ms: Int64) -> String {
        let tenths = (ms + 179_999) / 360_000
        return tenths % 10 == 0 ? "\(tenths / 10) h" : "\(tenths / 10).\(tenths % 10) h"
    }
}
