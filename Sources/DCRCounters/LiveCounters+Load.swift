import DCRModel

extension LiveCounters {
    /// How many past same weekdays make "a normal Friday": the documents' rooms have strong
    /// weekly rhythms (Friday peak), so only the same weekday is comparable, and four weeks smooth
    /// out one odd day without reaching back across a season.
    public static let typicalWeeksWanted = 4

    /// The live view of each site: all configured sites in configuration order when `site` is
    /// nil, otherwise that one site (empty if the counters have never heard of it, which the
    /// server answers with NOT_FOUND).
    public func load(site: String?, nowMs: Int64) -> [SiteLoad] {
        let codes: [String]
        if let site {
            guard sites.index(of: site) != nil else { return [] }
            codes = [site]
        } else {
            codes = sites.configured.map(\.code)
        }
        let now = calendar.localTime(ms: nowMs)
        return codes.compactMap { code in
            guard let i = sites.index(of: code) else { return nil }
            return siteLoad(index: i, code: code, now: now, nowMs: nowMs)
        }
    }

    private func siteLoad(index i: Int, code: String, now: LocalTime, nowMs: Int64) -> SiteLoad {
        let capacity = sites.capacity(of: code) ?? 0
        let w = windows[i]
        let today = Int32(clamping: now.date.dayNumber)
        let site = UInt8(i)
        let bucket = history.bucket(day: today)
        let typical = typicalIntakes(site: site, today: today,
                                     upToMinute: UInt16(now.hour * 60 + now.minute))
        return SiteLoad(
            site: code,
            boothsTaken: booths[i].taken(capacity: capacity, nowMs: nowMs, timeoutMs: boothTimeoutMs),
            capacity: capacity,
            intakes5m: UInt32(clamping: w.sum(.intake, seconds: 300, nowMs: nowMs)),
            intakes15m: UInt32(clamping: w.sum(.intake, seconds: 900, nowMs: nowMs)),
            intakes1h: UInt32(clamping: w.sum(.intake, seconds: 3_600, nowMs: nowMs)),
            intakesToday: bucket?.count(.intake, site: site) ?? 0,
            typicalToday: typical.mean,
            typicalWeeks: typical.weeks,
            incidentsToday: bucket?.count(.incident, site: site) ?? 0,
            referralsToday: bucket?.count(.referral, site: site) ?? 0,
            intakesPerMinute: w.perMinute(.intake, count: 60, nowMs: nowMs),
            turnAwaysToday: bucket?.count(.turnAway, site: site) ?? 0)
    }

    /// Mean intakes up to this minute of the day on the same weekday 7, 14, 21 and 28 days ago,
    /// over only those days on or after the site's first day with any event: before it there is
    /// no history, and counting it as zero would make every new site look unusually busy.
    func typicalIntakes(site: UInt8, today: Int32, upToMinute minute: UInt16)
        -> (mean: Double, weeks: UInt32)
    {
        guard let first = firstDay[Int(site)] else { return (0, 0) }
        var sum = 0, weeks: UInt32 = 0
        for week in 1...Self.typicalWeeksWanted {
            let day = today - Int32(7 * week)
            guard day >= first else { break }
            weeks += 1
            for r in history.bucket(day: day)?.intakes ?? RecordList() where r.site == site && r.minuteOfDay <= minute {
                sum += 1
            }
        }
        return weeks == 0 ? (0, 0) : (Double(sum) / Double(weeks), weeks)
    }

}
