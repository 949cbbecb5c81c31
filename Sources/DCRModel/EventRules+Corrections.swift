/// The field rules of corrections that need no store: what the daemon checks against the stored
/// event (its kind, its age, whether it is voided) is `CorrectionCheck`'s.
extension EventRules {
    func checkVoiding(_ e: Voiding) throws(StatusError) {
        if e.reason == .unspecified {
            throw StatusError(.invalidArgument, "void.reason: required")
        }
        if e.targetID == e.header.id {
            throw StatusError(.invalidArgument, "void.target_id: the void's own event_id")
        }
    }

    func checkAmend(_ e: Amend, nowMs: Int64) throws(StatusError) {
        if e.reason == .unspecified {
            throw StatusError(.invalidArgument, "amend.reason: required")
        }
        if e.targetID == e.header.id {
            throw StatusError(.invalidArgument, "amend.target_id: the amend's own event_id")
        }
        guard e.corrected.kind.isAmendable else {
            throw StatusError(.invalidArgument, "amend.corrected: required, one of intake, incident, referral, turn_away")
        }
        try check(e.corrected, nowMs: nowMs)
    }
}

/// The corrections of one stored event, folded in the order they were stored: what counts.
///
/// A void withdraws the event for good; an amend replaces every field; a referral outcome sets
/// `accepted` on the referral as it stands. Live ingest and replay fold the same way, so the
/// counters after a restart are those before it.
public struct CorrectionState: Sendable, Hashable {
    public private(set) var voided = false
    public private(set) var replacement: Event?
    public private(set) var accepted: ReferralAcceptance?

    public init() {}

    public mutating func apply(_ correction: Event) {
        switch correction {
        case .voiding: voided = true
        case .amend(let a): replacement = a.corrected; accepted = nil
        case .referralOutcome(let o): accepted = o.accepted
        default: break
        }
    }

    /// The event as it counts now, or nil when voided. Its id stays the original's.
    public func effective(_ original: Event) -> Event? {
        if voided { return nil }
        var e = replacement ?? original
        e.header.id = original.id
        if let accepted, case .referral(var r) = e {
            r.accepted = accepted
            e = .referral(r)
        }
        return e
    }
}
