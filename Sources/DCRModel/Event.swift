/// The fields every event carries.
public struct EventHeader: Sendable, Hashable {
    public var id: EventID
    public var site: String
    /// The terminal's clock, Unix milliseconds: when it happened, not when it arrived.
    public var occurredAtMs: Int64
    /// 1…capacity, or 0 where no booth is involved.
    public var booth: UInt32

    public init(id: EventID, site: String, occurredAtMs: Int64, booth: UInt32 = 0) {
        self.id = id
        self.site = site
        self.occurredAtMs = occurredAtMs
        self.booth = booth
    }
}

/// A client takes a booth and uses.
public struct Intake: Sendable, Hashable {
    public var header: EventHeader
    public var client: ClientRef
    public var gender: Gender
    /// Years; 0 = unknown.
    public var age: UInt32
    /// Danish municipality code; 0 = unknown.
    public var municipality: UInt32
    public var substance: Substance
    public var route: Route

    public init(header: EventHeader, client: ClientRef, gender: Gender, age: UInt32,
                municipality: UInt32 = 0, substance: Substance, route: Route) {
        self.header = header
        self.client = client
        self.gender = gender
        self.age = age
        self.municipality = municipality
        self.substance = substance
        self.route = route
    }
}

/// A booth is free again.
public struct BoothRelease: Sendable, Hashable {
    public var header: EventHeader
    public init(header: EventHeader) { self.header = header }
}

/// A situation report.
public struct Incident: Sendable, Hashable {
    public var header: EventHeader
    public var kind: IncidentKind
    public var victimGender: Gender
    public var victimRole: VictimRole
    /// Nil when no client is involved.
    public var client: ClientRef?
    public var overdoseResponse: OverdoseResponse

    public init(header: EventHeader, kind: IncidentKind, victimGender: Gender,
                victimRole: VictimRole, client: ClientRef? = nil,
                overdoseResponse: OverdoseResponse = .unspecified) {
        self.header = header
        self.kind = kind
        self.victimGender = victimGender
        self.victimRole = victimRole
        self.client = client
        self.overdoseResponse = overdoseResponse
    }
}

/// A client is referred to other help.
public struct Referral: Sendable, Hashable {
    public var header: EventHeader
    public var client: ClientRef
    public var gender: Gender
    public var target: ReferralTarget
    public var scope: ReferralScope
    /// Often known only later: a `ReferralOutcome` sets it.
    public var accepted: ReferralAcceptance

    public init(header: EventHeader, client: ClientRef, gender: Gender, target: ReferralTarget,
                scope: ReferralScope = .unspecified, accepted: ReferralAcceptance = .unspecified) {
        self.header = header
        self.client = client
        self.gender = gender
        self.target = target
        self.scope = scope
        self.accepted = accepted
    }
}

/// One thing that happened in a room, as a terminal reported it.
public enum Event: Sendable, Hashable {
    case intake(Intake)
    case boothRelease(BoothRelease)
    case incident(Incident)
    case referral(Referral)
    case turnAway(TurnAway)
    case suspension(Suspension)
    case suspensionLift(SuspensionLift)
    case voiding(Voiding)
    indirect case amend(Amend)
    case referralOutcome(ReferralOutcome)

    public var header: EventHeader {
        get {
            switch self {
            case .intake(let e): e.header
            case .boothRelease(let e): e.header
            case .incident(let e): e.header
            case .referral(let e): e.header
            case .turnAway(let e): e.header
            case .suspension(let e): e.header
            case .suspensionLift(let e): e.header
            case .voiding(let e): e.header
            case .amend(let e): e.header
            case .referralOutcome(let e): e.header
            }
        }
        set {
            switch self {
            case .intake(var e): e.header = newValue; self = .intake(e)
            case .boothRelease(var e): e.header = newValue; self = .boothRelease(e)
            case .incident(var e): e.header = newValue; self = .incident(e)
            case .referral(var e): e.header = newValue; self = .referral(e)
            case .turnAway(var e): e.header = newValue; self = .turnAway(e)
            case .suspension(var e): e.header = newValue; self = .suspension(e)
            case .suspensionLift(var e): e.header = newValue; self = .suspensionLift(e)
            case .voiding(var e): e.header = newValue; self = .voiding(e)
            case .amend(var e): e.header = newValue; self = .amend(e)
            case .referralOutcome(var e): e.header = newValue; self = .referralOutcome(e)
            }
        }
    }

    public var kind: EventKind {
        switch self {
        case .intake: .intake
        case .boothRelease: .boothRelease
        case .incident: .incident
        case .referral: .referral
        case .turnAway: .turnAway
        case .suspension: .suspension
        case .suspensionLift: .suspensionLift
        case .voiding: .void
        case .amend: .amend
        case .referralOutcome: .referralOutcome
        }
    }

    public var id: EventID { header.id }

    /// The client the event refers to, if any.
    public var client: ClientRef? {
        switch self {
        case .intake(let e): e.client
        case .boothRelease: nil
        case .incident(let e): e.client
        case .referral(let e): e.client
        case .turnAway(let e): e.client
        case .suspension(let e): e.client
        case .suspensionLift, .voiding, .referralOutcome: nil
        case .amend(let e): e.corrected.client
        }
    }

    /// The same event with every raw client code replaced by its pseudonym. After this, nothing
    /// in the event can reveal the code.
    public func pseudonymized(_ pseudonymize: (ClientCode) -> Pseudonym) -> Event {
        func map(_ ref: ClientRef) -> ClientRef {
            if case .code(let c) = ref { return .pseudonym(pseudonymize(c)) }
            return ref
        }
        switch self {
        case .intake(var e): e.client = map(e.client); return .intake(e)
        case .boothRelease: return self
        case .incident(var e): e.client = e.client.map(map); return .incident(e)
        case .referral(var e): e.client = map(e.client); return .referral(e)
        case .turnAway(var e): e.client = e.client.map(map); return .turnAway(e)
        case .suspension(var e): e.client = map(e.client); return .suspension(e)
        case .suspensionLift, .voiding, .referralOutcome: return self
        case .amend(var e): e.corrected = e.corrected.pseudonymized(pseudonymize); return .amend(e)
        }
    }

    /// The earlier event a correction is about; nil for every other event.
    public var correctionTarget: EventID? {
        switch self {
        case .voiding(let e): e.targetID
        case .amend(let e): e.targetID
        case .referralOutcome(let e): e.referralID
        default: nil
        }
    }

    /// Sets who made a correction (from the connection); other events are unchanged.
    public func corrected(by corrector: Corrector) -> Event {
        switch self {
        case .voiding(var e): e.by = corrector; return .voiding(e)
        case .amend(var e): e.by = corrector; return .amend(e)
        case .referralOutcome(var e): e.by = corrector; return .referralOutcome(e)
        default: return self
        }
    }

    /// True when no raw client code is left in the event.
    public var isPseudonymous: Bool {
        if case .code = client { return false }
        return true
    }
}
