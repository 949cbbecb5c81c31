import CProtobufC
import DCRModel
import DCRProtoC

/// Events between Swift values and protobuf-c structs. Pseudonyms travel in `client_code`
/// (for the store's archival encoding); raw codes only ever arrive from terminals.
enum EventCodec {
    // MARK: decoding

    /// The common fields, checked and named after the message they came in.
    static func header(_ message: String, _ id: ProtobufCBinaryData, _ site: UnsafeMutablePointer<CChar>?,
                               _ occurredAtMs: Int64, _ booth: UInt32, _ r: inout CReading) throws(StatusError) -> EventHeader {
        EventHeader(id: try r.eventID(id, field: "\(message).event_id"), site: try r.text(site, field: "\(message).site"),
                    occurredAtMs: occurredAtMs, booth: booth)
    }

    static func intake(_ m: UnsafePointer<Dcr__V1__Intake>, _ r: inout CReading) throws(StatusError) -> Event {
        let c = m.pointee
        let header = try header("intake", c.event_id, c.site, c.occurred_at_ms, c.booth, &r)
        let code = try r.text(c.client_code, field: "intake.client_code")
        return .intake(Intake(
            header: header, client: .code(ClientCode(code)),
            gender: r.value(c.gender.rawValue), age: c.age, municipality: c.municipality,
            substance: r.value(c.substance.rawValue), route: r.value(c.route.rawValue)))
    }

    static func boothRelease(_ m: UnsafePointer<Dcr__V1__BoothRelease>, _ r: inout CReading) throws(StatusError) -> Event {
        let c = m.pointee
        return .boothRelease(BoothRelease(header: try header("booth_release", c.event_id, c.site, c.occurred_at_ms, c.booth, &r)))
    }

    static func incident(_ m: UnsafePointer<Dcr__V1__Incident>, _ r: inout CReading) throws(StatusError) -> Event {
        let c = m.pointee
        let header = try header("incident", c.event_id, c.site, c.occurred_at_ms, c.booth, &r)
        let code = try r.text(c.client_code, field: "incident.client_code")
        return .incident(Incident(
            header: header, kind: r.value(c.kind.rawValue), victimGender: r.value(c.victim_gender.rawValue),
            victimRole: r.value(c.victim_role.rawValue),
            client: code.isEmpty ? nil : .code(ClientCode(code)),
            overdoseResponse: r.value(c.overdose_response.rawValue)))
    }

    static func referral(_ m: UnsafePointer<Dcr__V1__Referral>, _ r: inout CReading) throws(StatusError) -> Event {
        let c = m.pointee
        let header = try header("referral", c.event_id, c.site, c.occurred_at_ms, c.booth, &r)
        let code = try r.text(c.client_code, field: "referral.client_code")
        return .referral(Referral(
            header: header, client: .code(ClientCode(code)), gender: r.value(c.gender.rawValue),
            target: r.value(c.target.rawValue), scope: r.value(c.scope.rawValue),
            accepted: r.value(c.accepted.rawValue)))
    }

    // MARK: encoding

    static func clientText(_ ref: ClientRef?) -> String {
        switch ref {
        case .code(let c)?: c.rawValue
        case .pseudonym(let p)?: p.text
        case nil: ""
        }
    }

    /// Sets the request's body to `event`, allocating in `arena`.
    static func encode(_ event: Event, into req: UnsafeMutablePointer<Dcr__V1__Request>, arena: CArena) {
        let h = event.header
        switch event {
        case .intake(let e):
            let m = arena.make(Dcr__V1__Intake.self) { dcr__v1__intake__init($0) }
            m.pointee.event_id = arena.binary(h.id.bytes)
            m.pointee.site = arena.string(h.site)
            m.pointee.occurred_at_ms = h.occurredAtMs
            m.pointee.booth = h.booth
            m.pointee.client_code = arena.string(clientText(e.client))
            m.pointee.gender = .init(rawValue: numericCast(e.gender.wireValue))
            m.pointee.age = e.age
            m.pointee.municipality = e.municipality
            m.pointee.substance = .init(rawValue: numericCast(e.substance.wireValue))
            m.pointee.route = .init(rawValue: numericCast(e.route.wireValue))
            req.pointee.body_case = DCR__V1__REQUEST__BODY_INTAKE
            req.pointee.intake = m
        case .boothRelease:
            let m = arena.make(Dcr__V1__BoothRelease.self) { dcr__v1__booth_release__init($0) }
            m.pointee.event_id = arena.binary(h.id.bytes)
            m.pointee.site = arena.string(h.site)
            m.pointee.occurred_at_ms = h.occurredAtMs
            m.pointee.booth = h.booth
            req.pointee.body_case = DCR__V1__REQUEST__BODY_BOOTH_RELEASE
            req.pointee.booth_release = m
        case .incident(let e):
            let m = arena.make(Dcr__V1__Incident.self) { dcr__v1__incident__init($0) }
            m.pointee.event_id = arena.binary(h.id.bytes)
            m.pointee.site = arena.string(h.site)
            m.pointee.occurred_at_ms = h.occurredAtMs
            m.pointee.booth = h.booth
            m.pointee.kind = .init(rawValue: numericCast(e.kind.wireValue))
            m.pointee.victim_gender = .init(rawValue: numericCast(e.victimGender.wireValue))
            m.pointee.victim_role = .init(rawValue: numericCast(e.victimRole.wireValue))
            m.pointee.client_code = arena.string(clientText(e.client))
            m.pointee.overdose_response = .init(rawValue: numericCast(e.overdoseResponse.wireValue))
            req.pointee.body_case = DCR__V1__REQUEST__BODY_INCIDENT
            req.pointee.incident = m
        case .referral(let e):
            let m = arena.make(Dcr__V1__Referral.self) { dcr__v1__referral__init($0) }
            m.pointee.event_id = arena.binary(h.id.bytes)
            m.pointee.site = arena.string(h.site)
            m.pointee.occurred_at_ms = h.occurredAtMs
            m.pointee.booth = h.booth
            m.pointee.client_code = arena.string(clientText(e.client))
            m.pointee.gender = .init(rawValue: numericCast(e.gender.wireValue))
            m.pointee.target = .init(rawValue: numericCast(e.target.wireValue))
            m.pointee.scope = .init(rawValue: numericCast(e.scope.wireValue))
            m.pointee.accepted = .init(rawValue: numericCast(e.accepted.wireValue))
            req.pointee.body_case = DCR__V1__REQUEST__BODY_REFERRAL
            req.pointee.referral = m
        case .turnAway, .suspension, .suspensionLift:
            DoorEventCodec.encode(event, into: req, arena: arena)
        case .voiding, .amend, .referralOutcome:
            CorrectionCodec.encode(event, into: req, arena: arena)
        }
    }
}
