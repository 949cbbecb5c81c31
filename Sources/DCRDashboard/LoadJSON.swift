import DCRModel

/// The load snapshot as JSON, with `dcrctl load --json`'s field names, so the wall screen, a
/// script and the CLI all speak of the same numbers by the same names.
enum LoadJSON {
    static func render(_ l: LoadSnapshot, updateIntervalMs: Int) -> String {
        JSON.object([
            ("version", .int(1)), ("server_version", .string(l.serverVersion)), ("server_time_ms", .int(l.serverTimeMs)),
            ("update_interval_ms", .int(Int64(updateIntervalMs))), ("terminals_connected", .uint(UInt64(l.terminalsConnected))),
            ("sites", .array(l.sites.map { s in
                .object([
                    ("site", .string(s.site)), ("booths_taken", .uint(UInt64(s.boothsTaken))), ("capacity", .uint(UInt64(s.capacity))),
                    ("intakes_5m", .uint(UInt64(s.intakes5m))), ("intakes_15m", .uint(UInt64(s.intakes15m))),
                    ("intakes_1h", .uint(UInt64(s.intakes1h))), ("intakes_today", .uint(UInt64(s.intakesToday))),
                    ("typical_today", s.typicalWeeks == 0 || !s.typicalToday.isFinite ? .null : .double((s.typicalToday * 10).rounded() / 10)),
                    ("typical_weeks", .uint(UInt64(s.typicalWeeks))), ("incidents_today", .uint(UInt64(s.incidentsToday))),
                    ("referrals_today", .uint(UInt64(s.referralsToday))), ("turn_aways_today", .uint(UInt64(s.turnAwaysToday))),
                ])
            })),
        ]).render()
    }
}
