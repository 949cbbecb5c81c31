import CProtobufC
import DCRModel
import DCRProtoC

/// `Response` values to and from protobuf-c.
enum ResponseCodec {
    static func encode(_ response: Response, arena: CArena) -> UnsafeMutablePointer<Dcr__V1__Response> {
        let m = arena.make(Dcr__V1__Response.self) { dcr__v1__response__init($0) }
        m.pointee.id = response.id
        if let e = response.error {
            let s = arena.make(Dcr__V1__Status.self) { dcr__v1__status__init($0) }
            s.pointee.code = .init(rawValue: numericCast(e.code.rawValue))
            s.pointee.message = arena.string(e.message)
            m.pointee.status = s
        }
        switch response.body {
        case .none:
            break
        case .welcome(let w):
            let x = arena.make(Dcr__V1__Welcome.self) { dcr__v1__welcome__init($0) }
            x.pointee.server_version = arena.string(w.serverVersion)
            x.pointee.max_frame_bytes = w.maxFrameBytes
            x.pointee.granted_role = .init(rawValue: numericCast(w.grantedRole.wireValue))
            x.pointee.server_time_ms = w.serverTimeMs
            m.pointee.body_case = DCR__V1__RESPONSE__BODY_WELCOME
            m.pointee.welcome = x
        case .pong(let nonce):
            let x = arena.make(Dcr__V1__Pong.self) { dcr__v1__pong__init($0) }
            x.pointee.nonce = nonce
            m.pointee.body_case = DCR__V1__RESPONSE__BODY_PONG
            m.pointee.pong = x
        case .ack(let duplicate, let suspendedUntilMs):
            let x = arena.make(Dcr__V1__Ack.self) { dcr__v1__ack__init($0) }
            x.pointee.duplicate = duplicate ? 1 : 0
            x.pointee.suspended_until_ms = suspendedUntilMs
            m.pointee.body_case = DCR__V1__RESPONSE__BODY_ACK
            m.pointee.ack = x
        case .status(let s):
            m.pointee.body_case = DCR__V1__RESPONSE__BODY_STATUS_REPLY
            m.pointee.status_reply = encodeStatus(s, arena)
        case .load(let l):
            m.pointee.body_case = DCR__V1__RESPONSE__BODY_LOAD
            m.pointee.load = encodeLoad(l, arena)
        case .report(let r):
            m.pointee.body_case = DCR__V1__RESPONSE__BODY_REPORT
            m.pointee.report = encodeReport(r, arena)
        case .backup(let b):
            let x = arena.make(Dcr__V1__BackupReply.self) { dcr__v1__backup_reply__init($0) }
            x.pointee.path = arena.string(b.path)
            x.pointee.events = b.events
            x.pointee.last_sequence = b.lastSequence
            x.pointee.bytes = b.bytes
            x.pointee.finished_at_ms = b.finishedAtMs
            x.pointee.duration_ms = b.durationMs
            m.pointee.body_case = DCR__V1__RESPONSE__BODY_BACKUP
            m.pointee.backup = x
        case .history(let h):
            m.pointee.body_case = DCR__V1__RESPONSE__BODY_HISTORY
            m.pointee.history = HistoryCodec.encode(h, arena)
        }
        return m
    }

    private static func encodeStatus(_ s: StatusSnapshot, _ arena: CArena) -> UnsafeMutablePointer<Dcr__V1__StatusReply> {
        let x = arena.make(Dcr__V1__StatusReply.self) { dcr__v1__status_reply__init($0) }
        x.pointee.server_version = arena.string(s.serverVersion)
        x.pointee.started_at_ms = s.startedAtMs
        x.pointee.uptime_ms = s.uptimeMs
        x.pointee.server_time_ms = s.serverTimeMs
        let roles = s.connections.sorted { $0.key < $1.key }.map { role, n in
            arena.make(Dcr__V1__RoleCount.self) {
                dcr__v1__role_count__init($0)
                $0.pointee.role = .init(rawValue: numericCast(role.wireValue))
                $0.pointee.connections = n
            }
        }
        x.pointee.n_connections = roles.count
        x.pointee.connections = arena.pointers(roles)
        let kinds = s.eventsStored.sorted { $0.key < $1.key }.map { kind, n in
            arena.make(Dcr__V1__KindCount.self) {
                dcr__v1__kind_count__init($0)
                $0.pointee.kind = .init(rawValue: numericCast(kind.wireValue))
                $0.pointee.events = n
            }
        }
        x.pointee.n_events_stored = kinds.count
        x.pointee.events_stored = arena.pointers(kinds)
        x.pointee.ingest_per_second_1s = s.ingestPerSecond1s
        x.pointee.ingest_per_second_1m = s.ingestPerSecond1m
        x.pointee.ingest_per_second_5m = s.ingestPerSecond5m
        let reasons = s.rejectedFrames.sorted { $0.key < $1.key }.map { reason, n in
            arena.make(Dcr__V1__ReasonCount.self) {
                dcr__v1__reason_count__init($0)
                $0.pointee.reason = arena.string(reason)
                $0.pointee.count = n
            }
        }
        x.pointee.n_rejected_frames = reasons.count
        x.pointee.rejected_frames = arena.pointers(reasons)
        x.pointee.duplicates = s.duplicates
        x.pointee.invalid_events = s.invalidEvents
        x.pointee.unknown_enum_values = s.unknownEnumValues
        x.pointee.store_commits = s.storeCommits
        x.pointee.store_commit_last_us = s.storeCommitLastUs
        x.pointee.store_commit_max_us = s.storeCommitMaxUs
        x.pointee.store_commit_mean_us = s.storeCommitMeanUs
        x.pointee.config_state = arena.string(s.configState)
        x.pointee.tls_certificate_expires_ms = s.tlsCertificateExpiresMs
        x.pointee.plaintext_tcp_off_loopback = s.plaintextTCPOffLoopback ? 1 : 0
        x.pointee.last_backup_at_ms = s.lastBackupAtMs
        x.pointee.last_backup_result = arena.string(s.lastBackupResult)
        x.pointee.last_backup_path = arena.string(s.lastBackupPath)
        x.pointee.last_backup_events = s.lastBackupEvents
        x.pointee.oldest_raw_event = arena.string(s.oldestRawEvent)
        x.pointee.retain_years = s.retainYears
        x.pointee.retention_deleted = s.retentionDeleted
        x.pointee.forward_target = arena.string(s.forwardTarget)
        x.pointee.forward_forwarded = s.forwardForwarded
        x.pointee.forward_lag_events = s.forwardLagEvents
        x.pointee.forward_lag_seconds = s.forwardLagSeconds
        x.pointee.forward_last_error = arena.string(s.forwardLastError)
        x.pointee.forward_last_error_at_ms = s.forwardLastErrorAtMs
        x.pointee.forward_failures = s.forwardFailures
        return x
    }

    private static func encodeLoad(_ l: LoadSnapshot, _ arena: CArena) -> UnsafeMutablePointer<Dcr__V1__LoadReply> {
        let x = arena.make(Dcr__V1__LoadReply.self) { dcr__v1__load_reply__init($0) }
        x.pointee.server_time_ms = l.serverTimeMs
        x.pointee.uptime_ms = l.uptimeMs
        x.pointee.server_version = arena.string(l.serverVersion)
        x.pointee.terminals_connected = l.terminalsConnected
        x.pointee.events_per_second = l.eventsPerSecond
        let sites = l.sites.map { s in
            arena.make(Dcr__V1__SiteLoad.self) {
                dcr__v1__site_load__init($0)
                $0.pointee.site = arena.string(s.site)
                $0.pointee.booths_taken = s.boothsTaken
                $0.pointee.capacity = s.capacity
                $0.pointee.intakes_5m = s.intakes5m
                $0.pointee.intakes_15m = s.intakes15m
                $0.pointee.intakes_1h = s.intakes1h
                $0.pointee.intakes_today = s.intakesToday
                $0.pointee.typical_today = s.typicalToday
                $0.pointee.typical_weeks = s.typicalWeeks
                $0.pointee.incidents_today = s.incidentsToday
                $0.pointee.referrals_today = s.referralsToday
                $0.pointee.turn_aways_today = s.turnAwaysToday
                $0.pointee.n_intakes_per_minute = s.intakesPerMinute.count
                $0.pointee.intakes_per_minute = arena.values(s.intakesPerMinute)
            }
        }
        x.pointee.n_sites = sites.count
        x.pointee.sites = arena.pointers(sites)
        return x
    }

    private static func encodeReport(_ r: Report, _ arena: CArena) -> UnsafeMutablePointer<Dcr__V1__ReportReply> {
        let x = arena.make(Dcr__V1__ReportReply.self) { dcr__v1__report_reply__init($0) }
        let q = r.query
        x.pointee.measure = .init(rawValue: numericCast(q.measure.wireValue))
        x.pointee.from = arena.string(q.from.description)
        x.pointee.to = arena.string(q.to.description)
        x.pointee.n_group_by = q.groupBy.count
        x.pointee.group_by = arena.values(q.groupBy.map { .init(rawValue: numericCast($0.wireValue)) })
        x.pointee.n_sites = q.sites.count
        x.pointee.sites = arena.strings(q.sites)
        let rows = r.rows.map { row in
            arena.make(Dcr__V1__ReportRow.self) {
                dcr__v1__report_row__init($0)
                $0.pointee.n_keys = row.keys.count
                $0.pointee.keys = arena.strings(row.keys)
                $0.pointee.count = row.count
                $0.pointee.scaled = Double(row.count) * (q.scale ?? 0)
            }
        }
        x.pointee.n_rows = rows.count
        x.pointee.rows = arena.pointers(rows)
        x.pointee.total = r.total
        x.pointee.scale = q.scale ?? 0
        x.pointee.approximate = r.approximate ? 1 : 0
        return x
    }

    // MARK: decoding (the client's side)

    static func decode(_ payload: UnsafeRawBufferPointer) throws(WireDecodeError) -> Response {
        var allocator = ZeroingAllocator.make()
        guard let m = dcr__v1__response__unpack(
            &allocator, payload.count, payload.baseAddress?.assumingMemoryBound(to: UInt8.self))
        else { throw WireDecodeError.undecodable("response") }
        defer { dcr__v1__response__free_unpacked(m, &allocator) }
        var r = CReading()
        do throws(StatusError) {
            return try decodeResponse(m.pointee, &r)
        } catch {
            throw WireDecodeError.undecodable("response: \(error.message)")
        }
    }

    private static func decodeResponse(_ c: Dcr__V1__Response, _ r: inout CReading) throws(StatusError) -> Response {
        var response = Response(id: c.id)
        if let s = c.status, s.pointee.code.rawValue != 0 {
            response.error = StatusError(StatusCode(wire: Int32(truncatingIfNeeded: s.pointee.code.rawValue)),
                                         try r.text(s.pointee.message, field: "status.message"))
        }
        switch c.body_case {
        case DCR__V1__RESPONSE__BODY_WELCOME:
            let w = c.welcome.pointee
            response.body = .welcome(Welcome(
                serverVersion: try r.text(w.server_version, field: "welcome.server_version"),
                maxFrameBytes: w.max_frame_bytes, grantedRole: r.value(w.granted_role.rawValue),
                serverTimeMs: w.server_time_ms))
        case DCR__V1__RESPONSE__BODY_PONG:
            response.body = .pong(nonce: c.pong.pointee.nonce)
        case DCR__V1__RESPONSE__BODY_ACK:
            response.body = .ack(duplicate: c.ack.pointee.duplicate != 0,
                                 suspendedUntilMs: c.ack.pointee.suspended_until_ms)
        case DCR__V1__RESPONSE__BODY_STATUS_REPLY:
            response.body = .status(try decodeStatus(c.status_reply.pointee, &r))
        case DCR__V1__RESPONSE__BODY_LOAD:
            response.body = .load(try decodeLoad(c.load.pointee, &r))
        case DCR__V1__RESPONSE__BODY_REPORT:
            response.body = .report(try decodeReport(c.report.pointee, &r))
        case DCR__V1__RESPONSE__BODY_BACKUP:
            let b = c.backup.pointee
            response.body = .backup(BackupReceipt(
                path: try r.text(b.path, field: "backup.path"), events: b.events,
                lastSequence: b.last_sequence, bytes: b.bytes, finishedAtMs: b.finished_at_ms,
                durationMs: b.duration_ms))
        case DCR__V1__RESPONSE__BODY_HISTORY:
            response.body = .history(try HistoryCodec.decode(c.history.pointee, &r))
        default:
            break
        }
        return response
    }

    private static func decodeStatus(_ x: Dcr__V1__StatusReply, _ r: inout CReading) throws(StatusError) -> StatusSnapshot {
        var s = StatusSnapshot()
        s.serverVersion = try r.text(x.server_version, field: "status.server_version")
        s.startedAtMs = x.started_at_ms
        s.uptimeMs = x.uptime_ms
        s.serverTimeMs = x.server_time_ms
        for p in r.list(x.connections, x.n_connections) {
            guard let rc = p?.pointee else { continue }
            s.connections[r.value(rc.role.rawValue, as: Role.self), default: 0] += rc.connections
        }
        for p in r.list(x.events_stored, x.n_events_stored) {
            guard let kc = p?.pointee else { continue }
            s.eventsStored[r.value(kc.kind.rawValue, as: EventKind.self), default: 0] += kc.events
        }
        s.ingestPerSecond1s = x.ingest_per_second_1s
        s.ingestPerSecond1m = x.ingest_per_second_1m
        s.ingestPerSecond5m = x.ingest_per_second_5m
        for p in r.list(x.rejected_frames, x.n_rejected_frames) {
            guard let rc = p?.pointee else { continue }
            s.rejectedFrames[try r.text(rc.reason, field: "status.rejected_frames.reason"), default: 0] += rc.count
        }
        s.duplicates = x.duplicates
        s.invalidEvents = x.invalid_events
        s.unknownEnumValues = x.unknown_enum_values
        s.storeCommits = x.store_commits
        s.storeCommitLastUs = x.store_commit_last_us
        s.storeCommitMaxUs = x.store_commit_max_us
        s.storeCommitMeanUs = x.store_commit_mean_us
        s.configState = try r.text(x.config_state, field: "status.config_state")
        s.tlsCertificateExpiresMs = x.tls_certificate_expires_ms
        s.plaintextTCPOffLoopback = x.plaintext_tcp_off_loopback != 0
        s.lastBackupAtMs = x.last_backup_at_ms
        s.lastBackupResult = try r.text(x.last_backup_result, field: "status.last_backup_result")
        s.lastBackupPath = try r.text(x.last_backup_path, field: "status.last_backup_path")
        s.lastBackupEvents = x.last_backup_events
        s.oldestRawEvent = try r.text(x.oldest_raw_event, field: "status.oldest_raw_event")
        s.retainYears = x.retain_years
        s.retentionDeleted = x.retention_deleted
        s.forwardTarget = try r.text(x.forward_target, field: "status.forward_target")
        s.forwardForwarded = x.forward_forwarded
        s.forwardLagEvents = x.forward_lag_events
        s.forwardLagSeconds = x.forward_lag_seconds
        s.forwardLastError = try r.text(x.forward_last_error, field: "status.forward_last_error")
        s.forwardLastErrorAtMs = x.forward_last_error_at_ms
        s.forwardFailures = x.forward_failures
        return s
    }

    private static func decodeLoad(_ x: Dcr__V1__LoadReply, _ r: inout CReading) throws(StatusError) -> LoadSnapshot {
        var sites: [SiteLoad] = []
        for p in r.list(x.sites, x.n_sites) {
            guard let s = p?.pointee else { continue }
            sites.append(SiteLoad(
                site: try r.text(s.site, field: "load.sites.site"), boothsTaken: s.booths_taken,
                capacity: s.capacity, intakes5m: s.intakes_5m, intakes15m: s.intakes_15m,
                intakes1h: s.intakes_1h, intakesToday: s.intakes_today, typicalToday: s.typical_today,
                typicalWeeks: s.typical_weeks, incidentsToday: s.incidents_today,
                referralsToday: s.referrals_today,
                intakesPerMinute: r.list(s.intakes_per_minute, s.n_intakes_per_minute),
                turnAwaysToday: s.turn_aways_today))
        }
        return LoadSnapshot(
            serverTimeMs: x.server_time_ms, uptimeMs: x.uptime_ms,
            serverVersion: try r.text(x.server_version, field: "load.server_version"),
            terminalsConnected: x.terminals_connected, eventsPerSecond: x.events_per_second,
            sites: sites)
    }

    private static func decodeReport(_ x: Dcr__V1__ReportReply, _ r: inout CReading) throws(StatusError) -> Report {
        let fromText = try r.text(x.from, field: "report.from")
        let toText = try r.text(x.to, field: "report.to")
        let from = LocalDate(parsing: fromText) ?? LocalDate(year: 1970, month: 1, day: 1)
        let to = LocalDate(parsing: toText) ?? from
        var sites: [String] = []
        for p in r.list(x.sites, x.n_sites) { sites.append(try r.text(p, field: "report.sites")) }
        let query = ReportQuery(
            measure: r.value(x.measure.rawValue), from: from, to: to,
            groupBy: r.list(x.group_by, x.n_group_by).map { r.value($0.rawValue) },
            sites: sites, scale: x.scale == 0 ? nil : x.scale)
        var rows: [ReportRow] = []
        for p in r.list(x.rows, x.n_rows) {
            guard let row = p?.pointee else { continue }
            var keys: [String] = []
            for k in r.list(row.keys, row.n_keys) { keys.append(try r.text(k, field: "report.rows.keys")) }
            rows.append(ReportRow(keys: keys, count: row.count))
        }
        return Report(query: query, rows: rows, total: x.total, approximate: x.approximate != 0)
    }
}
