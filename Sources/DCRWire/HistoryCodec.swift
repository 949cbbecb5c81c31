import CProtobufC
import DCRModel
import DCRProtoC

/// `HistoryReply` between `EventHistory` and protobuf-c.
enum HistoryCodec {
    static func encode(_ h: EventHistory, _ arena: CArena) -> UnsafeMutablePointer<Dcr__V1__HistoryReply> {
        let x = arena.make(Dcr__V1__HistoryReply.self) { dcr__v1__history_reply__init($0) }
        let entries = h.entries.map { e in
            arena.make(Dcr__V1__HistoryEntry.self) {
                dcr__v1__history_entry__init($0)
                $0.pointee.event_id = arena.binary(e.id.bytes)
                $0.pointee.kind = .init(rawValue: numericCast(e.kind.wireValue))
                $0.pointee.site = arena.string(e.site)
                $0.pointee.occurred_at_ms = e.occurredAtMs
                $0.pointee.received_at_ms = e.receivedAtMs
                $0.pointee.corrected_by = arena.string(e.correctedBy.name)
                $0.pointee.corrected_by_role = .init(rawValue: numericCast(e.correctedBy.role.wireValue))
                $0.pointee.reason = .init(rawValue: numericCast(e.reason.wireValue))
                $0.pointee.summary = arena.string(e.summary)
            }
        }
        x.pointee.n_entries = entries.count
        x.pointee.entries = arena.pointers(entries)
        x.pointee.counted = h.counted ? 1 : 0
        x.pointee.counted_as = arena.string(h.countedAs)
        return x
    }

    static func decode(_ x: Dcr__V1__HistoryReply, _ r: inout CReading) throws(StatusError) -> EventHistory {
        var entries: [EventHistory.Entry] = []
        for p in r.list(x.entries, x.n_entries) {
            guard let e = p?.pointee else { continue }
            entries.append(EventHistory.Entry(
                id: try r.eventID(e.event_id, field: "history.entries.event_id"), kind: r.value(e.kind.rawValue),
                site: try r.text(e.site, field: "history.entries.site"), occurredAtMs: e.occurred_at_ms,
                receivedAtMs: e.received_at_ms,
                correctedBy: Corrector(name: try r.text(e.corrected_by, field: "history.entries.corrected_by"),
                                       role: r.value(e.corrected_by_role.rawValue)),
                reason: r.value(e.reason.rawValue), summary: try r.text(e.summary, field: "history.entries.summary")))
        }
        return EventHistory(entries: entries, counted: x.counted != 0,
                            countedAs: try r.text(x.counted_as, field: "history.counted_as"))
    }
}
