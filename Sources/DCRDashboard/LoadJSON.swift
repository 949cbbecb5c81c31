import DCRModel

/// The load snapshot as JSON, with `dcrctl load --json`'s field names, so the wall screen, a
/// script and the CLI all speak of the same numbers by the same names.
enum LoadJSON {
    static func render(_ l: LoadSnapshot, updateIntervalMs: Int) -> String {
        var out = "{\"version\":1,\"server_version\":\(quote(l.serverVersion)),\"server_time_ms\":\(l.serverTimeMs)"
        out += ",\"update_interval_ms\":\(updateIntervalMs),\"terminals_connected\":\(l.terminalsConnected),\"sites\":["
        for (i, s) in l.sites.enumerated() {
            if i > 0 { out += "," }
            out += "{\"site\":\(quote(s.site)),\"booths_taken\":\(s.boothsTaken),\"capacity\":\(s.capacity)"
            out += ",\"intakes_5m\":\(s.intakes5m),\"intakes_15m\":\(s.intakes15m),\"intakes_1h\":\(s.intakes1h)"
            out += ",\"intakes_today\":\(s.intakesToday)"
            out += ",\"typical_today\":" + (s.typicalWeeks == 0 || !s.typicalToday.isFinite ? "null" : "\((s.typicalToday * 10).rounded() / 10)")
            out += ",\"typical_weeks\":\(s.typicalWeeks),\"incidents_today\":\(s.incidentsToday)"
            out += ",\"referrals_today\":\(s.referralsToday),\"turn_aways_today\":\(s.turnAwaysToday)}"
        }
        return out + "]}"
    }

    /// Site codes and the version are the daemon's own ([A-Z0-9_-], digits and dots); escaping
    /// anyway keeps the document valid whatever a future field holds.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "<": out += "\\u003c"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
