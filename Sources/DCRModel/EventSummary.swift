/// A line for people about what an event says, for `dcrctl history`: every field that counts,
/// never the client (not even the pseudonym: a history is shown on a screen).
public enum EventSummary {
    public static func describe(_ event: Event) -> String {
        let h = event.header
        let place = "\(h.site)" + (h.booth == 0 ? "" : " booth \(h.booth)")
        func age(_ a: UInt32) -> String { a == 0 ? "age unknown" : "age \(a)" }
        switch event {
        case .intake(let e):
            return "intake at \(place): \(e.gender.label), \(age(e.age)), municipality \(e.municipality), \(e.substance.label), \(e.route.label)"
        case .boothRelease:
            return "booth release at \(place)"
        case .incident(let e):
            return "incident at \(place): \(e.kind.label), victim \(e.victimGender.label) \(e.victimRole.label)"
                + (e.client == nil ? "" : ", a client involved")
                + (e.overdoseResponse == .unspecified ? "" : ", response \(e.overdoseResponse.label)")
        case .referral(let e):
            return "referral at \(place): \(e.target.label), \(e.gender.label), scope \(e.scope.label), accepted \(e.accepted.label)"
        case .turnAway(let e):
            return "turn-away at \(place): \(e.reason.label), \(e.gender.label), \(age(e.age))"
                + (e.client == nil ? "" : ", with a client code")
        case .suspension(let e):
            return "suspension at \(place)\(e.allSites ? " (every site)" : ""): \(e.reason.label), from \(e.fromMs) until \(e.untilMs) (Unix ms)"
        case .suspensionLift(let e):
            return "suspension lift at \(place) of \(e.suspensionID)"
        case .voiding(let e):
            return "void of \(e.targetID): \(e.reason.label)"
        case .amend(let e):
            return "amend of \(e.targetID) (\(e.reason.label)) to: \(describe(e.corrected))"
        case .referralOutcome(let e):
            return "referral outcome of \(e.referralID): accepted \(e.accepted.label)"
        }
    }
}
