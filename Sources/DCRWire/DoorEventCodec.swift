import CProtobufC
import DCRModel
import DCRProtoC

/// Turn-aways and suspensions between Swift values and protobuf-c structs: the events about the
/// door, kept apart from `EventCodec`'s booth events.
enum DoorEventCodec {
    static func turnAway(_ m: UnsafePointer<Dcr__V1__TurnAway>, _ r: inout CReading) throws(StatusError) -> Event {
        let c = m.pointee
        let header = try EventCodec.header("turn_away", c.event_id, c.site, c.occurred_at_ms, c.booth, &r)
        let code = try r.text(c.client_code, field: "turn_away.client_code")
        return .turnAway(TurnAway(
            header: header, reason: r.value(c.reason.rawValue),
            client: code.isEmpty ? nil : .code(ClientCode(code)),
            gender: r.value(c.gender.rawValue), age: c.age))
    }

    /// `from_ms` 0 means "from when it was decided": the event's own time.
    static func suspension(_ m: UnsafePointer<Dcr__V1__Suspension>, _ r: inout CReading) throws(StatusError) -> Event {
        let c = m.pointee
        let header = try EventCodec.header("suspension", c.event_id, c.site, c.occurred_at_ms, c.booth, &r)
        let code = try r.text(c.client_code, field: "suspension.client_code")
        return .suspension(Suspension(
            header: header, client: .code(ClientCode(code)),
            fromMs: c.from_ms == 0 ? c.occurred_at_ms : c.from_ms, untilMs: c.until_ms,
            reason: r.value(c.reason.rawValue), allSites: c.all_sites != 0))
    }

    static func suspensionLift(_ m: UnsafePointer<Dcr__V1__SuspensionLift>, _ r: inout CReading) throws(StatusError) -> Event {
        let c = m.pointee
        let header = try EventCodec.header("suspension_lift", c.event_id, c.site, c.occurred_at_ms, c.booth, &r)
        return .suspensionLift(SuspensionLift(
            header: header, suspensionID: try r.eventID(c.suspension_id, field: "suspension_lift.suspension_id")))
    }

    static func encode(_ event: Event, into req: UnsafeMutablePointer<Dcr__V1__Request>, arena: CArena) {
        let h = event.header
        switch event {
        case .turnAway(let e):
            let m = arena.make(Dcr__V1__TurnAway.self) { dcr__v1__turn_away__init($0) }
            m.pointee.event_id = arena.binary(h.id.bytes)
            m.pointee.site = arena.string(h.site)
            m.pointee.occurred_at_ms = h.occurredAtMs
            m.pointee.booth = h.booth
            m.pointee.reason = .init(rawValue: numericCast(e.reason.wireValue))
            m.pointee.client_code = arena.string(EventCodec.clientText(e.client))
            m.pointee.gender = .init(rawValue: numericCast(e.gender.wireValue))
            m.pointee.age = e.age
            req.pointee.body_case = DCR__V1__REQUEST__BODY_TURN_AWAY
            req.pointee.turn_away = m
        case .suspension(let e):
            let m = arena.make(Dcr__V1__Suspension.self) { dcr__v1__suspension__init($0) }
            m.pointee.event_id = arena.binary(h.id.bytes)
            m.pointee.site = arena.string(h.site)
            m.pointee.occurred_at_ms = h.occurredAtMs
            m.pointee.booth = h.booth
            m.pointee.client_code = arena.string(EventCodec.clientText(e.client))
            m.pointee.from_ms = e.fromMs
            m.pointee.until_ms = e.untilMs
            m.pointee.reason = .init(rawValue: numericCast(e.reason.wireValue))
            m.pointee.all_sites = e.allSites ? 1 : 0
            req.pointee.body_case = DCR__V1__REQUEST__BODY_SUSPENSION
            req.pointee.suspension = m
        case .suspensionLift(let e):
            let m = arena.make(Dcr__V1__SuspensionLift.self) { dcr__v1__suspension_lift__init($0) }
            m.pointee.event_id = arena.binary(h.id.bytes)
            m.pointee.site = arena.string(h.site)
            m.pointee.occurred_at_ms = h.occurredAtMs
            m.pointee.booth = h.booth
            m.pointee.suspension_id = arena.binary(e.suspensionID.bytes)
            req.pointee.body_case = DCR__V1__REQUEST__BODY_SUSPENSION_LIFT
            req.pointee.suspension_lift = m
        default:
            break  // booth events are EventCodec's
        }
    }
}
