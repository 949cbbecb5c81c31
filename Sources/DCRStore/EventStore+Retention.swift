import DCRModel
import Foundation
import GRDB

extension EventStore {
    /// Computes a whole year's aggregates from its raw events, read on a connection of its own
    /// (one WAL snapshot; the writer goes on), then stores them in transactions of at most
    /// `batch` rows, calling `between` after each, and marks the year last. A year has about as
    /// many cells as events (age and municipality alone make most cells distinct), so one
    /// transaction for all of them held the store's writer, and every acknowledgement, for over
    /// a second. Call it before deleting any raw event of `year`. Returns what was stored.
    public func aggregateYear(_ year: Int, nowMs: Int64, batch: Int = 500,
                              between: () -> Void = {}) throws -> RetainedAggregates {
        let result = try computeYearAggregates(year)
        try storeYearAggregates(result, year: year, nowMs: nowMs, batch: max(1, batch), between: between)
        return result
    }

    /// The year's cells and client counts, from one read snapshot.
    func computeYearAggregates(_ year: Int) throws -> RetainedAggregates {
        let from = "\(year)-01-01", to = "\(year)-12-31"
        var result = RetainedAggregates()
        result.years = [year]
        try withReadConnection { db in
            let rows = try Row.fetchCursor(db, sql: """
                SELECT local_date, local_hour, site, kind, coalesce(gender, 0), coalesce(age, 0),
                    coalesce(municipality, 0), coalesce(substance, 0), coalesce(route, 0),
                    coalesce(incident_kind, 0), coalesce(victim_gender, 0), coalesce(victim_role, 0),
                    coalesce(overdose_response, 0), coalesce(referral_target, 0), count(*)
                FROM events WHERE local_date BETWEEN ? AND ?
                GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14
                """, arguments: [from, to])
            while let r = try rows.next() {
                guard let date = LocalDate(parsing: r[0]), let kind = EventKind(rawValue: r[3]) else { continue }
                result.events.append(AggregateEvents(
                    date: date, hour: r[1], site: r[2], kind: kind, gender: r[4], age: r[5], municipality: r[6],
                    substance: r[7], route: r[8], incidentKind: r[9], victimGender: r[10], victimRole: r[11],
                    overdoseResponse: r[12], referralTarget: r[13], events: r[14]))
            }
            // Latest intake per client in each period and scope wins, as in reports.
            struct Scope: Hashable { var month: Int; var site: String; var client: String }
            struct Attributes: Hashable { var gender: Int32; var ageBand: Int32; var municipality: UInt32 }
            var latest: [Scope: Attributes] = [:]
            let intakes = try Row.fetchCursor(db, sql: """
                SELECT CAST(substr(local_date, 6, 2) AS INTEGER), site, client, coalesce(gender, 0),
                    coalesce(age, 0), coalesce(municipality, 0)
                FROM events WHERE kind = 1 AND client IS NOT NULL AND local_date BETWEEN ? AND ?
                ORDER BY occurred_at_ms, seq
                """, arguments: [from, to])
            while let r = try intakes.next() {
                let month: Int = r[0], site: String = r[1], client: String = r[2]
                let municipality: UInt32 = r[5]
                let a = Attributes(gender: r[3], ageBand: AgeBand(age: r[4]).rawValue,
                                   municipality: municipality < 1000 ? municipality : 0)
                for m in [0, month] {
                    for s in ["", site] { latest[Scope(month: m, site: s, client: client)] = a }
                }
            }
            struct Cell: Hashable { var month: Int; var site: String; var attributes: Attributes }
            var cells: [Cell: UInt64] = [:]
            for (scope, a) in latest { cells[Cell(month: scope.month, site: scope.site, attributes: a), default: 0] += 1 }
            result.clients = cells.map { cell, n in
                AggregateClients(year: year, month: cell.month, site: cell.site, gender: cell.attributes.gender,
                                 ageBand: cell.attributes.ageBand, municipality: cell.attributes.municipality, clients: n)
            }
        }
        return result
    }

    /// Writes the cells in small transactions and marks the year in the last one. A year is
    /// counted from its cells only once marked (`retainedAggregates` reads marked years only),
    /// so a crash part-way leaves unmarked rows that the next pass removes before writing again.
    func storeYearAggregates(_ result: RetainedAggregates, year: Int, nowMs: Int64, batch: Int,
                             between: () -> Void) throws {
        let queue = try writableQueue()
        let from = "\(year)-01-01", to = "\(year)-12-31"
        let marked = try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT 1 FROM aggregated_years WHERE year = ?", arguments: [year]) != nil
        }
        guard !marked else { return }
        // What an interrupted earlier pass left of this year.
        while try queue.write({ db in
            try db.execute(sql: """
                DELETE FROM aggregate_events WHERE rowid IN
                    (SELECT rowid FROM aggregate_events WHERE local_date BETWEEN ? AND ? LIMIT ?)
                """, arguments: [from, to, batch])
            return db.changesCount
        }) > 0 { between() }
        try queue.write { db in try db.execute(sql: "DELETE FROM aggregate_clients WHERE year = ?", arguments: [year]) }

        var start = 0
        while start < result.events.count {
            let slice = result.events[start..<min(start + batch, result.events.count)]
            try queue.write { db in
                let e = try db.cachedStatement(sql: """
                    INSERT INTO aggregate_events (local_date, local_hour, site, kind, gender, age, municipality, substance,
                        route, incident_kind, victim_gender, victim_role, overdose_response, referral_target, events)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                for a in slice {
                    try e.execute(arguments: [a.date.description, a.hour, a.site, a.kind.rawValue, a.gender, a.age, a.municipality,
                                              a.substance, a.route, a.incidentKind, a.victimGender, a.victimRole,
                                              a.overdoseResponse, a.referralTarget, a.events])
                }
            }
            start += slice.count
            between()
        }
        start = 0
        repeat {
            let slice = result.clients[start..<min(start + batch, result.clients.count)]
            let last = start + slice.count == result.clients.count
            try queue.write { db in
                let c = try db.cachedStatement(sql: """
                    INSERT INTO aggregate_clients (year, month, site, gender, age_band, municipality, clients)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """)
                for a in slice {
                    try c.execute(arguments: [a.year, a.month, a.site, a.gender, a.ageBand, a.municipality, a.clients])
                }
                if last {
                    let total = result.events.reduce(0) { $0 + $1.events }
                    try db.execute(sql: "INSERT INTO aggregated_years (year, events, aggregated_at_ms) VALUES (?, ?, ?)",
                                   arguments: [year, total, nowMs])
                }
            }
            start += slice.count
            if !last { between() }
        } while start < result.clients.count
    }

    /// Deletes at most `limit` raw events dated before `cutoff`; returns how many it deleted (0:
    /// none are left).
    ///
    /// Two kinds of event always stay: the newest (SQLite gives a new row the largest `seq` plus one, so
    /// deleting the newest would hand its number to the next event, and a forwarder whose cursor
    /// passed it would skip that event), and any not yet forwarded (`setRetentionCeiling`).
    ///
    /// The deletion runs inside the writer's next commit (`runInNextCommit`), after that commit's
    /// events: no fsync of its own for acknowledgements to wait behind.
    public func deleteRawEvents(before cutoff: LocalDate, limit: Int) throws -> Int {
        let ceiling = retentionCeiling.withLock { $0 } ?? Int64.max
        let deleted = try runInNextCommit { db in
            try db.execute(sql: """
                DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE local_date < ?
                    AND seq < (SELECT max(seq) FROM events) AND seq <= ? LIMIT ?)
                """, arguments: [cutoff.description, ceiling, limit])
            return db.changesCount
        }
        if deleted > 0 { forgetDeleted(deleted) }
        return deleted
    }

    /// The earliest local date of a raw event; nil for an empty store.
    public func oldestRawDate() throws -> LocalDate? {
        try withReadConnection { db in
            try String.fetchOne(db, sql: "SELECT min(local_date) FROM events").flatMap(LocalDate.init(parsing:))
        }
    }

    /// Years with raw events dated before `cutoff` that are not yet kept as aggregates.
    public func yearsToAggregate(before cutoff: LocalDate) throws -> [Int] {
        try withReadConnection { db in
            try Int.fetchAll(db, sql: """
                SELECT DISTINCT CAST(substr(local_date, 1, 4) AS INTEGER) FROM events
                WHERE local_date < ? AND CAST(substr(local_date, 1, 4) AS INTEGER) NOT IN (SELECT year FROM aggregated_years)
                ORDER BY 1
                """, arguments: [cutoff.description])
        }
    }

    /// Everything kept as aggregates so far, for replay: the marked years' rows only (an
    /// interrupted pass may have left part of an unmarked year).
    public func retainedAggregates() throws -> RetainedAggregates {
        try writableQueue().read { db in
            var result = RetainedAggregates()
            result.years = Set(try Int.fetchAll(db, sql: "SELECT year FROM aggregated_years"))
            let rows = try Row.fetchCursor(db, sql: """
                SELECT local_date, local_hour, site, kind, gender, age, municipality, substance, route, incident_kind,
                    victim_gender, victim_role, overdose_response, referral_target, events FROM aggregate_events
                """)
            while let r = try rows.next() {
                guard let date = LocalDate(parsing: r[0]), result.years.contains(date.year),
                      let kind = EventKind(rawValue: r[3]) else { continue }
                result.events.append(AggregateEvents(
                    date: date, hour: r[1], site: r[2], kind: kind, gender: r[4], age: r[5], municipality: r[6],
                    substance: r[7], route: r[8], incidentKind: r[9], victimGender: r[10], victimRole: r[11],
                    overdoseResponse: r[12], referralTarget: r[13], events: r[14]))
            }
            let clients = try Row.fetchCursor(db, sql: "SELECT year, month, site, gender, age_band, municipality, clients FROM aggregate_clients")
            while let r = try clients.next() {
                guard result.years.contains(r[0]) else { continue }
                result.clients.append(AggregateClients(year: r[0], month: r[1], site: r[2], gender: r[3], ageBand: r[4],
                                                       municipality: r[5], clients: r[6]))
            }
            return result
        }
    }

    /// A read-only connection of its own (a WAL snapshot): a scan over years of events never
    /// queues in front of the store's writer.
    private func withReadConnection<T>(_ body: (Database) throws -> T) throws -> T {
        _ = try writableQueue()  // a closed store says so
        var configuration = Configuration()
        configuration.label = "dcr.retention"
        configuration.readonly = true
        let reader = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? reader.close() }
        return try reader.read(body)
    }

    private func writableQueue() throws -> DatabaseQueue {
        guard let queue = database.withLock({ $0 }) else {
            throw StoreError.cannotOpen(path: path, reason: "the store is closed")
        }
        return queue
    }

    /// Counted apart: `storedByKind` keeps answering what was acknowledged since open.
    private func forgetDeleted(_ n: Int) {
        condition.lock()
        stats.retentionDeleted += UInt64(n)
        condition.unlock()
    }
}
