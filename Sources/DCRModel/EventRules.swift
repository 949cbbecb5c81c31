/// The field rules of the wire contract, applied after decoding and before anything is stored.
///
/// Every refusal names the field and the rule ("intake.age: 214 is outside 12…100") because the
/// person reading it is a terminal programmer or an on-call lead, not a debugger.
public struct EventRules: Sendable {
    public var sites: [String: Site]
    /// How far in the future (terminal clock ahead of ours) an event may lie.
    public var maxFutureSkewMs: Int64
    /// Events before this instant are certainly a unit mistake (seconds sent as milliseconds).
    public static let earliestMs: Int64 = 946_684_800_000  // 2000-01-01T00:00:00Z
    public static let ageRange: ClosedRange<UInt32> = 12...100
    public static let clientCodeLength: ClosedRange<Int> = 1...64

    /// The longest suspension a terminal may record (`max-suspension`, default 24 hours).
    public var maxSuspensionMs: Int64

    public init(sites: [Site], maxFutureSkewMs: Int64 = 5 * 60_000, maxSuspensionMs: Int64 = 24 * 3_600_000) {
        self.sites = Dictionary(sites.map { ($0.code, $0) }, uniquingKeysWith: { _, b in b })
        self.maxFutureSkewMs = maxFutureSkewMs
        self.maxSuspensionMs = maxSuspensionMs
    }

    /// Throws `StatusError` (INVALID_ARGUMENT or NOT_FOUND) for the first rule the event breaks.
    public func check(_ event: Event, nowMs: Int64) throws(StatusError) {
        let h = event.header
        let name = Self.messageName(event.kind)
        guard let site = sites[h.site] else {
            let known = sites.keys.sorted().joined(separator: ", ")
            throw StatusError(.notFound, "\(name).site: \"\(Self.printable(h.site))\" is not a configured site (\(known))")
        }
        if h.occurredAtMs < Self.earliestMs {
            throw StatusError(.invalidArgument, "\(name).occurred_at_ms: \(h.occurredAtMs) is before 2000-01-01 (milliseconds since 1970 expected)")
        }
        if h.occurredAtMs > nowMs + maxFutureSkewMs {
            let ahead = (h.occurredAtMs - nowMs) / 1000
            throw StatusError(.invalidArgument, "\(name).occurred_at_ms: \(ahead) s in the future; at most \(maxFutureSkewMs / 1000) s allowed")
        }
        if h.booth > site.capacity {
            throw StatusError(.invalidArgument, "\(name).booth: \(h.booth) is outside 0…\(site.capacity) (site \(site.code))")
        }
        switch event {
        case .intake(let e):
            try checkClient(e.client, field: "intake.client_code")
            if e.age != 0 && !Self.ageRange.contains(e.age) {
                throw StatusError(.invalidArgument, "intake.age: \(e.age) is outside \(Self.ageRange.lowerBound)…\(Self.ageRange.upperBound) (0 = unknown)")
            }
            if e.municipality > 999 {
                throw StatusError(.invalidArgument, "intake.municipality: \(e.municipality) is not a municipality code (0…999, 0 = unknown)")
            }
        case .boothRelease:
            if h.booth == 0 {
                throw StatusError(.invalidArgument, "booth_release.booth: required, 1…\(site.capacity)")
            }
        case .incident(let e):
            if e.kind == .unspecified {
                throw StatusError(.invalidArgument, "incident.kind: required")
            }
            if let c = e.client { try checkClient(c, field: "incident.client_code") }
            if e.kind != .overdose && e.overdoseResponse != .unspecified {
                throw StatusError(.invalidArgument, "incident.overdose_response: only for kind overdose, not \(e.kind.label)")
            }
        case .referral(let e):
            try checkClient(e.client, field: "referral.client_code")
            if e.target == .unspecified {
                throw StatusError(.invalidArgument, "referral.target: required")
            }
        case .turnAway(let e):
            try checkTurnAway(e)
        case .suspension(let e):
            try checkSuspension(e)
        case .suspensionLift:
            break  // whether the suspension exists is the daemon's to say (NOT_FOUND)
        case .voiding(let e):
            try checkVoiding(e)
        case .amend(let e):
            try checkAmend(e, nowMs: nowMs)
        case .referralOutcome:
            break  // whether the referral exists is the daemon's to say (NOT_FOUND)
        }
    }

    func checkClient(_ ref: ClientRef, field: String) throws(StatusError) {
        guard case .code(let code) = ref else { return }
        // Unicode code points, as the contract says: counting grapheme clusters would let one
        // letter with thousands of combining marks through as "1 character".
        let n = code.rawValue.unicodeScalars.count
        if !Self.clientCodeLength.contains(n) {
            throw StatusError(.invalidArgument, "\(field): \(n) code points; must be \(Self.clientCodeLength.lowerBound)…\(Self.clientCodeLength.upperBound)")
        }
        if code.rawValue.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw StatusError(.invalidArgument, "\(field): contains control characters")
        }
    }

    public static func messageName(_ kind: EventKind) -> String {
        switch kind {
        case .intake: "intake"
        case .boothRelease: "booth_release"
        case .incident: "incident"
        case .referral: "referral"
        case .turnAway: "turn_away"
        case .suspension: "suspension"
        case .suspensionLift: "suspension_lift"
        case .void: "void"
        case .amend: "amend"
        case .referralOutcome: "referral_outcome"
        }
    }

    /// A site code as it may appear in a message: printable ASCII, at most 32 characters.
    public static func printable(_ s: String) -> String {
        String(s.unicodeScalars.prefix(32).map { $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" })
    }
}
