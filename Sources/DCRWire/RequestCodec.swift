import CProtobufC
import DCRModel
import DCRProtoC

/// `Request` values to and from protobuf-c.
enum RequestCodec {
    static func decode(_ payload: UnsafeRawBufferPointer) throws(WireDecodeError) -> DecodedRequest {
        let prepass = try RequestPrepass(payload)
        guard let merged = prepass.merged else { return try unpack(payload, prepass.fieldError) }
        let result: Result<DecodedRequest, WireDecodeError> = merged.withUnsafeBytes { raw in
            do throws(WireDecodeError) { return .success(try unpack(raw, prepass.fieldError)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// protobuf-c's unpack of bytes the prepass has read; its field error, if any, is the answer.
    private static func unpack(_ payload: UnsafeRawBufferPointer, _ fieldError: StatusError?) throws(WireDecodeError) -> DecodedRequest {
        var allocator = ZeroingAllocator.make()
        guard let m = dcr__v1__request__unpack(
            &allocator, payload.count, payload.baseAddress?.assumingMemoryBound(to: UInt8.self))
        else { throw WireDecodeError.undecodable("request") }
        defer { dcr__v1__request__free_unpacked(m, &allocator) }
        var r = CReading()
        let id = m.pointee.id
        let body: Request.Body
        do throws(StatusError) {
            if let fieldError { throw fieldError }
            body = try decodeBody(m, &r)
        } catch {
            body = .invalid(error)
        }
        return DecodedRequest(request: Request(id: id, body), unknownEnumValues: r.unknownEnumValues)
    }

    private static func decodeBody(_ m: UnsafeMutablePointer<Dcr__V1__Request>, _ r: inout CReading) throws(StatusError) -> Request.Body {
        let c = m.pointee
        switch c.body_case {
        case DCR__V1__REQUEST__BODY_HELLO:
            let h = c.hello.pointee
            return .hello(Hello(
                protocolVersion: h.protocol_version,
                clientName: try r.text(h.client_name, field: "hello.client_name"),
                role: r.value(h.role.rawValue),
                credential: try r.text(h.credential, field: "hello.credential")))
        case DCR__V1__REQUEST__BODY_PING:
            return .ping(nonce: c.ping.pointee.nonce)
        case DCR__V1__REQUEST__BODY_CANCEL:
            return .cancel(watchID: c.cancel.pointee.id)
        case DCR__V1__REQUEST__BODY_INTAKE:
            return .event(try EventCodec.intake(c.intake, &r))
        case DCR__V1__REQUEST__BODY_BOOTH_RELEASE:
            return .event(try EventCodec.boothRelease(c.booth_release, &r))
        case DCR__V1__REQUEST__BODY_INCIDENT:
            return .event(try EventCodec.incident(c.incident, &r))
        case DCR__V1__REQUEST__BODY_REFERRAL:
            return .event(try EventCodec.referral(c.referral, &r))
        case DCR__V1__REQUEST__BODY_TURN_AWAY:
            return .event(try DoorEventCodec.turnAway(c.turn_away, &r))
        case DCR__V1__REQUEST__BODY_SUSPENSION:
            return .event(try DoorEventCodec.suspension(c.suspension, &r))
        case DCR__V1__REQUEST__BODY_SUSPENSION_LIFT:
            return .event(try DoorEventCodec.suspensionLift(c.suspension_lift, &r))
        case DCR__V1__REQUEST__BODY_VOID_EVENT:
            return .event(try CorrectionCodec.voiding(c.void_event, &r))
        case DCR__V1__REQUEST__BODY_AMEND:
            return .event(try CorrectionCodec.amend(c.amend, &r))
        case DCR__V1__REQUEST__BODY_REFERRAL_OUTCOME:
            return .event(try CorrectionCodec.referralOutcome(c.referral_outcome, &r))
        case DCR__V1__REQUEST__BODY_HISTORY:
            return .history(try r.eventID(c.history.pointee.event_id, field: "history.event_id"))
        case DCR__V1__REQUEST__BODY_STATUS:
            return .status
        case DCR__V1__REQUEST__BODY_LOAD:
            let site = try r.text(c.load.pointee.site, field: "load.site")
            return .load(site: site.isEmpty ? nil : site)
        case DCR__V1__REQUEST__BODY_REPORT:
            return .report(try reportQuery(c.report.pointee, &r))
        case DCR__V1__REQUEST__BODY_WATCH:
            let w = c.watch.pointee
            let site = try r.text(w.site, field: "watch.site")
            return .watch(intervalMs: w.interval_ms, site: site.isEmpty ? nil : site)
        case DCR__V1__REQUEST__BODY_RELOAD:
            return .reload
        case DCR__V1__REQUEST__BODY_BACKUP:
            return .backup(to: try r.text(c.backup.pointee.to, field: "backup.to"))
        default:
            return .unknown
        }
    }

    private static func reportQuery(_ q: Dcr__V1__ReportQuery, _ r: inout CReading) throws(StatusError) -> ReportQuery {
        let fromText = try r.text(q.from, field: "report.from")
        let toText = try r.text(q.to, field: "report.to")
        guard let from = LocalDate(parsing: fromText) else {
            throw StatusError(.invalidArgument, "report.from: \"\(EventRules.printable(fromText))\" is not a date (YYYY-MM-DD)")
        }
        guard let to = LocalDate(parsing: toText) else {
            throw StatusError(.invalidArgument, "report.to: \"\(EventRules.printable(toText))\" is not a date (YYYY-MM-DD)")
        }
        let dims: [Dimension] = r.list(q.group_by, q.n_group_by).map { r.value($0.rawValue) }
        var sites: [String] = []
        for p in r.list(q.sites, q.n_sites) { sites.append(try r.text(p, field: "report.sites")) }
        let measure: Measure = r.value(q.measure.rawValue)
        return ReportQuery(measure: measure, from: from, to: to, groupBy: dims, sites: sites,
                           scale: q.scale == 0 ? nil : q.scale)
    }

    static func encode(_ request: Request, arena: CArena) -> UnsafeMutablePointer<Dcr__V1__Request> {
        let m = arena.make(Dcr__V1__Request.self) { dcr__v1__request__init($0) }
        m.pointee.id = request.id
        switch request.body {
        case .hello(let h):
            let x = arena.make(Dcr__V1__Hello.self) { dcr__v1__hello__init($0) }
            x.pointee.protocol_version = h.protocolVersion
            x.pointee.client_name = arena.string(h.clientName)
            x.pointee.role = .init(rawValue: numericCast(h.role.wireValue))
            x.pointee.credential = arena.string(h.credential)
            m.pointee.body_case = DCR__V1__REQUEST__BODY_HELLO
            m.pointee.hello = x
        case .ping(let nonce):
            let x = arena.make(Dcr__V1__Ping.self) { dcr__v1__ping__init($0) }
            x.pointee.nonce = nonce
            m.pointee.body_case = DCR__V1__REQUEST__BODY_PING
            m.pointee.ping = x
        case .cancel(let id):
            let x = arena.make(Dcr__V1__Cancel.self) { dcr__v1__cancel__init($0) }
            x.pointee.id = id
            m.pointee.body_case = DCR__V1__REQUEST__BODY_CANCEL
            m.pointee.cancel = x
        case .event(let e):
            EventCodec.encode(e, into: m, arena: arena)
        case .status:
            m.pointee.body_case = DCR__V1__REQUEST__BODY_STATUS
            m.pointee.status = arena.make(Dcr__V1__StatusQuery.self) { dcr__v1__status_query__init($0) }
        case .load(let site):
            let x = arena.make(Dcr__V1__LoadQuery.self) { dcr__v1__load_query__init($0) }
            x.pointee.site = arena.string(site ?? "")
            m.pointee.body_case = DCR__V1__REQUEST__BODY_LOAD
            m.pointee.load = x
        case .report(let q):
            let x = arena.make(Dcr__V1__ReportQuery.self) { dcr__v1__report_query__init($0) }
            x.pointee.measure = .init(rawValue: numericCast(q.measure.wireValue))
            x.pointee.from = arena.string(q.from.description)
            x.pointee.to = arena.string(q.to.description)
            x.pointee.n_group_by = q.groupBy.count
            x.pointee.group_by = arena.values(q.groupBy.map { .init(rawValue: numericCast($0.wireValue)) })
            x.pointee.n_sites = q.sites.count
            x.pointee.sites = arena.strings(q.sites)
            x.pointee.scale = q.scale ?? 0
            m.pointee.body_case = DCR__V1__REQUEST__BODY_REPORT
            m.pointee.report = x
        case .watch(let interval, let site):
            let x = arena.make(Dcr__V1__WatchQuery.self) { dcr__v1__watch_query__init($0) }
            x.pointee.interval_ms = interval
            x.pointee.site = arena.string(site ?? "")
            m.pointee.body_case = DCR__V1__REQUEST__BODY_WATCH
            m.pointee.watch = x
        case .history(let id):
            let x = arena.make(Dcr__V1__HistoryQuery.self) { dcr__v1__history_query__init($0) }
            x.pointee.event_id = arena.binary(id.bytes)
            m.pointee.body_case = DCR__V1__REQUEST__BODY_HISTORY
            m.pointee.history = x
        case .reload:
            m.pointee.body_case = DCR__V1__REQUEST__BODY_RELOAD
            m.pointee.reload = arena.make(Dcr__V1__ReloadCommand.self) { dcr__v1__reload_command__init($0) }
        case .backup(let to):
            let x = arena.make(Dcr__V1__BackupCommand.self) { dcr__v1__backup_command__init($0) }
            x.pointee.to = arena.string(to)
            m.pointee.body_case = DCR__V1__REQUEST__BODY_BACKUP
            m.pointee.backup = x
        case .invalid, .unknown:
            break  // nothing to send: an empty body, which the daemon answers UNIMPLEMENTED
        }
        return m
    }
}
