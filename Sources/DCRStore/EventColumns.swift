import DCRModel
import Foundation
import GRDB

/// Maps an event to the columns of `events` and back (see `StoreSchema`).
///
/// Both directions work by column position, not by name or `Codable`: appending and replaying
/// a million events is dominated by exactly this code.
enum EventColumns {
    static let count = 34

    /// The row `StoreSchema.insertSQL` inserts, or nil when the event still holds a raw client
    /// code: such an event has no column it could be written to.
    static func row(for event: Event, receivedAtMs: Int64, local: LocalTime) -> EventRow? {
        guard event.isPseudonymous else { return nil }
        let h = event.header
        var v = EventRow(count: count)
        v[0] = .id(h.id)
        v[1] = .integer(Int64(event.kind.rawValue))
        v[2] = .text(h.site)
        v[3] = .integer(h.occurredAtMs)
        v[4] = .integer(receivedAtMs)
        v[5] = .text(local.date.description)
        v[6] = .integer(Int64(local.hour))
        v[7] = .integer(Int64(h.booth))
        switch event {
        case .voiding(let e):
            v[24] = .id(e.targetID)
            v[25] = number(e.reason)
            corrector(e.by, into: &v)
        case .referralOutcome(let e):
            v[24] = .id(e.referralID)
            v[29] = number(e.accepted)
            corrector(e.by, into: &v)
        case .amend(let e):
            // The corrected event's fields in their usual columns, its header in amended_*.
            fields(of: e.corrected, into: &v)
            v[24] = .id(e.targetID)
            v[25] = number(e.reason)
            corrector(e.by, into: &v)
            v[30] = number(e.corrected.kind)
            v[31] = .text(e.corrected.header.site)
            v[32] = .integer(e.corrected.header.occurredAtMs)
            v[33] = .integer(Int64(e.corrected.header.booth))
        default:
            fields(of: event, into: &v)
        }
        return v
    }

    /// The columns of an event's own kind.
    private static func fields(of event: Event, into v: inout EventRow) {
        switch event {
        case .intake(let e):
            v[8] = text(e.client.pseudonym?.text)
            v[9] = number(e.gender)
            v[10] = .integer(Int64(e.age))
            v[11] = .integer(Int64(e.municipality))
            v[12] = number(e.substance)
            v[13] = number(e.route)
        case .boothRelease:
            break
        case .incident(let e):
            v[8] = text(e.client?.pseudonym?.text)
            v[14] = number(e.kind)
            v[15] = number(e.victimGender)
            v[16] = number(e.victimRole)
            v[17] = number(e.overdoseResponse)
        case .referral(let e):
            v[8] = text(e.client.pseudonym?.text)
            v[9] = number(e.gender)
            v[18] = number(e.target)
            v[28] = number(e.scope)
            v[29] = number(e.accepted)
        case .turnAway(let e):
            v[8] = text(e.client?.pseudonym?.text)
            v[9] = number(e.gender)
            v[10] = .integer(Int64(e.age))
            v[19] = number(e.reason)
        case .suspension(let e):
            v[8] = text(e.client.pseudonym?.text)
            v[20] = .integer(e.fromMs)
            v[21] = .integer(e.untilMs)
            v[22] = number(e.reason)
            v[23] = .integer(Int64(e.allSites ? 1 : 0))
        case .suspensionLift(let e):
            v[24] = .id(e.suspensionID)
        case .voiding, .amend, .referralOutcome:
            break  // corrections: see `row`
        }
    }

    private static func corrector(_ c: Corrector, into v: inout EventRow) {
        v[26] = .text(c.name)
        v[27] = number(c.role)
    }

    private static func text(_ s: String?) -> EventRow.Value {
        s.map(EventRow.Value.text) ?? .null
    }

    private static func number(_ value: some RegisteredValue) -> EventRow.Value {
        .integer(Int64(value.wireValue))
    }

    /// Rebuilds an event from a row of `StoreSchema.replayColumns`.
    static func event(from row: Row) throws(StoreError) -> Event {
        let idData: Data = row[0]
        guard let id = EventID(bytes: idData) else {
            throw .unreadableRow("an event_id is \(idData.count) bytes long instead of 16")
        }
        let header = EventHeader(id: id, site: row[2], occurredAtMs: row[3],
                                 booth: UInt32(truncatingIfNeeded: row[4] as Int64))
        let kindNumber: Int32 = row[1]
        guard let kind = EventKind(rawValue: kindNumber) else {
            throw .unreadableRow("event \(id) has unknown kind \(kindNumber)")
        }
        func target() throws(StoreError) -> EventID {
            let data: Data? = row[21]
            guard let data, let target = EventID(bytes: data) else {
                throw .unreadableRow("\(kind.label) \(id) has no target id")
            }
            return target
        }
        let by = Corrector(name: (row[23] as String?) ?? "", role: value(row, 24))
        switch kind {
        case .void:
            return .voiding(Voiding(header: header, targetID: try target(), reason: value(row, 22), by: by))
        case .referralOutcome:
            return .referralOutcome(ReferralOutcome(header: header, referralID: try target(),
                                                    accepted: value(row, 26), by: by))
        case .amend:
            let targetID = try target()
            let amendedKindNumber = (row[27] as Int32?) ?? 0
            guard let amendedKind = EventKind(rawValue: amendedKindNumber), amendedKind.isAmendable else {
                throw .unreadableRow("amend \(id) corrects to unknown kind \(amendedKindNumber)")
            }
            let correctedHeader = EventHeader(id: targetID, site: (row[28] as String?) ?? "",
                                              occurredAtMs: (row[29] as Int64?) ?? 0,
                                              booth: UInt32(truncatingIfNeeded: (row[30] as Int64?) ?? 0))
            let corrected = try fields(row, kind: amendedKind, header: correctedHeader)
            return .amend(Amend(header: header, targetID: targetID, reason: value(row, 22), corrected: corrected, by: by))
        default:
            return try fields(row, kind: kind, header: header)
        }
    }

    /// An event of a correctable kind from the row's kind-specific columns.
    private static func fields(_ row: Row, kind: EventKind, header: EventHeader) throws(StoreError) -> Event {
        let id = header.id
        let client: ClientRef? = (row[5] as String?).map { .pseudonym(Pseudonym(text: $0)) }
        switch kind {
        case .intake:
            guard let client else { throw .unreadableRow("intake \(id) has no client") }
            return .intake(Intake(
                header: header, client: client, gender: value(row, 6),
                age: UInt32(truncatingIfNeeded: (row[7] as Int64?) ?? 0),
                municipality: UInt32(truncatingIfNeeded: (row[8] as Int64?) ?? 0),
                substance: value(row, 9), route: value(row, 10)))
        case .boothRelease:
            return .boothRelease(BoothRelease(header: header))
        case .incident:
            return .incident(Incident(
                header: header, kind: value(row, 11), victimGender: value(row, 12),
                victimRole: value(row, 13), client: client, overdoseResponse: value(row, 14)))
        case .referral:
            guard let client else { throw .unreadableRow("referral \(id) has no client") }
            return .referral(Referral(header: header, client: client, gender: value(row, 6),
                                      target: value(row, 15), scope: value(row, 25), accepted: value(row, 26)))
        case .turnAway:
            return .turnAway(TurnAway(
                header: header, reason: value(row, 16), client: client, gender: value(row, 6),
                age: UInt32(truncatingIfNeeded: (row[7] as Int64?) ?? 0)))
        case .suspension:
            guard let client else { throw .unreadableRow("suspension \(id) has no client") }
            return .suspension(Suspension(
                header: header, client: client, fromMs: (row[17] as Int64?) ?? 0,
                untilMs: (row[18] as Int64?) ?? 0, reason: value(row, 19),
                allSites: ((row[20] as Int64?) ?? 0) != 0))
        case .suspensionLift:
            let targetData: Data? = row[21]
            guard let targetData, let target = EventID(bytes: targetData) else {
                throw .unreadableRow("suspension lift \(id) has no suspension id")
            }
            return .suspensionLift(SuspensionLift(header: header, suspensionID: target))
        case .void, .amend, .referralOutcome:
            throw .unreadableRow("\(kind.label) \(id) in place of an event")
        }
    }

    /// The enumeration value in a column; NULL reads as wire number 0 (unspecified).
    private static func value<T: RegisteredValue>(_ row: Row, _ index: Int) -> T
    where T: RawRepresentable, T.RawValue == Int32 {
        let number = (row[index] as Int32?) ?? 0
        return T(rawValue: number) ?? T.fallback
    }
}
