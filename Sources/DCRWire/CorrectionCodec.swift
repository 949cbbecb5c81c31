import CProtobufC
import DCRModel
import DCRProtoC

/// Corrections (Void, Amend, ReferralOutcome) between Swift values and protobuf-c structs.
/// `corrected_by` and `corrected_by_role` are written for the store's archival copy and never
/// read from a terminal: the daemon sets them from the connection.
enum CorrectionCodec {
    static func voiding(_ m: UnsafePointer<Dcr__V1__Void>, _ r: inout CReading) throws(StatusError) -> Event {
        let c = m.pointee
        let header = try EventCodec.header("void", c.event_id, c.site, c.occurred_at_ms, c.booth, &r)
        return .voiding(Voiding(header: header, targetID: try r.eventID(c.target_id, field: "void.target_id"),
                                reason: r.value(c.reason.rawValue)))
    }

    static func referralOutcome(_ m: UnsafePointer<Dcr__V1__ReferralOutcome>, _ r: inout CReading) throws(StatusError) -> Event {
        let c = m.pointee
        let header = try EventCodec.header("referral_outcome", c.event_id, c.site, c.occurred_at_ms, c.booth, &r)
        return .referralOutcome(ReferralOutcome(
            header: header, referralID: try r.eventID(c.referral_id, field: "referral_outcome.referral_id"),
            accepted: r.value(c.accepted.rawValue)))
    }

    static func amend(_ m: UnsafePointer<Dcr__V1__Amend>, _ r: inout CReading) throws(StatusError) -> Event {
        let c = m.pointee
        let header = try EventCodec.header("amend", c.event_id, c.site, c.occurred_at_ms, c.booth, &r)
        let target = try r.eventID(c.target_id, field: "amend.target_id")
        let corrected: Event
        switch c.corrected_case {
        case DCR__V1__AMEND__CORRECTED_INTAKE:
            corrected = try nested(c.intake, target, &r) { p, r throws(StatusError) in try EventCodec.intake(p, &r) }
        case DCR__V1__AMEND__CORRECTED_INCIDENT:
            corrected = try nested(c.incident, target, &r) { p, r throws(StatusError) in try EventCodec.incident(p, &r) }
        case DCR__V1__AMEND__CORRECTED_REFERRAL:
            corrected = try nested(c.referral, target, &r) { p, r throws(StatusError) in try EventCodec.referral(p, &r) }
        case DCR__V1__AMEND__CORRECTED_TURN_AWAY:
            corrected = try nested(c.turn_away, target, &r) { p, r throws(StatusError) in try DoorEventCodec.turnAway(p, &r) }
        default:
            throw StatusError(.invalidArgument, "amend.corrected: required, one of intake, incident, referral, turn_away")
        }
        return .amend(Amend(header: header, targetID: target, reason: r.value(c.reason.rawValue), corrected: corrected))
    }

    /// Decodes the corrected event with its event_id taken as the target's when empty; another
    /// id is refused, since the corrected event is the target, not a new one.
    private static func nested<M>(_ p: UnsafeMutablePointer<M>?, _ target: EventID, _ r: inout CReading,
                                  _ decode: (UnsafePointer<M>, inout CReading) throws(StatusError) -> Event) throws(StatusError) -> Event {
        guard let p else { throw StatusError(.invalidArgument, "amend.corrected: required") }
        // Every event message starts with `bytes event_id = 1` after the ProtobufCMessage base.
        var copy = p.pointee
        let idOffset = MemoryLayout<ProtobufCMessage>.stride
        let given = withUnsafeMutableBytes(of: &copy) { raw in raw.load(fromByteOffset: idOffset, as: ProtobufCBinaryData.self) }
        if given.len != 0 {
            let id = try r.eventID(given, field: "amend.corrected.event_id")
            if id != target { throw StatusError(.invalidArgument, "amend.corrected.event_id: must be empty or target_id") }
            return try decode(p, &r)
        }
        var bytes = target.bytes
        return try bytes.withUnsafeMutableBufferPointer { buffer throws(StatusError) in
            withUnsafeMutableBytes(of: &copy) { raw in
                raw.storeBytes(of: ProtobufCBinaryData(len: 16, data: buffer.baseAddress), toByteOffset: idOffset,
                               as: ProtobufCBinaryData.self)
            }
            return try withUnsafePointer(to: &copy) { q throws(StatusError) in try decode(q, &r) }
        }
    }

    static func encode(_ event: Event, into req: UnsafeMutablePointer<Dcr__V1__Request>, arena: CArena) {
        let h = event.header
        switch event {
        case .voiding(let e):
            let m = arena.make(Dcr__V1__Void.self) { dcr__v1__void__init($0) }
            m.pointee.event_id = arena.binary(h.id.bytes)
            m.pointee.site = arena.string(h.site)
            m.pointee.occurred_at_ms = h.occurredAtMs
            m.pointee.booth = h.booth
            m.pointee.target_id = arena.binary(e.targetID.bytes)
            m.pointee.reason = .init(rawValue: numericCast(e.reason.wireValue))
            m.pointee.corrected_by = arena.string(e.by.name)
            m.pointee.corrected_by_role = .init(rawValue: numericCast(e.by.role.wireValue))
            req.pointee.body_case = DCR__V1__REQUEST__BODY_VOID_EVENT
            req.pointee.void_event = m
        case .referralOutcome(let e):
            let m = arena.make(Dcr__V1__ReferralOutcome.self) { dcr__v1__referral_outcome__init($0) }
            m.pointee.event_id = arena.binary(h.id.bytes)
            m.pointee.site = arena.string(h.site)
            m.pointee.occurred_at_ms = h.occurredAtMs
            m.pointee.booth = h.booth
            m.pointee.referral_id = arena.binary(e.referralID.bytes)
            m.pointee.accepted = .init(rawValue: numericCast(e.accepted.wireValue))
            m.pointee.corrected_by = arena.string(e.by.name)
            m.pointee.corrected_by_role = .init(rawValue: numericCast(e.by.role.wireValue))
            req.pointee.body_case = DCR__V1__REQUEST__BODY_REFERRAL_OUTCOME
            req.pointee.referral_outcome = m
        case .amend(let e):
            let m = arena.make(Dcr__V1__Amend.self) { dcr__v1__amend__init($0) }
            m.pointee.event_id = arena.binary(h.id.bytes)
            m.pointee.site = arena.string(h.site)
            m.pointee.occurred_at_ms = h.occurredAtMs
            m.pointee.booth = h.booth
            m.pointee.target_id = arena.binary(e.targetID.bytes)
            m.pointee.reason = .init(rawValue: numericCast(e.reason.wireValue))
            m.pointee.corrected_by = arena.string(e.by.name)
            m.pointee.corrected_by_role = .init(rawValue: numericCast(e.by.role.wireValue))
            // Encode the corrected event as a request body, then move that body into the amend.
            let inner = arena.make(Dcr__V1__Request.self) { dcr__v1__request__init($0) }
            EventCodec.encode(e.corrected, into: inner, arena: arena)
            switch inner.pointee.body_case {
            case DCR__V1__REQUEST__BODY_INTAKE:
                m.pointee.corrected_case = DCR__V1__AMEND__CORRECTED_INTAKE
                m.pointee.intake = inner.pointee.intake
            case DCR__V1__REQUEST__BODY_INCIDENT:
                m.pointee.corrected_case = DCR__V1__AMEND__CORRECTED_INCIDENT
                m.pointee.incident = inner.pointee.incident
            case DCR__V1__REQUEST__BODY_REFERRAL:
                m.pointee.corrected_case = DCR__V1__AMEND__CORRECTED_REFERRAL
                m.pointee.referral = inner.pointee.referral
            case DCR__V1__REQUEST__BODY_TURN_AWAY:
                m.pointee.corrected_case = DCR__V1__AMEND__CORRECTED_TURN_AWAY
                m.pointee.turn_away = inner.pointee.turn_away
            default:
                break  // not amendable: an amend without a corrected event, refused by the daemon
            }
            req.pointee.body_case = DCR__V1__REQUEST__BODY_AMEND
            req.pointee.amend = m
        default:
            break
        }
    }
}
