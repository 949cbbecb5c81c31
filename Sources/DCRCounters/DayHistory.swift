import DCRModel

/// The reportable events of one local day, per kind, each array in order of occurrence.
struct DayBucket: Sendable {
    private(set) var intakes = RecordList()
    private(set) var incidents = RecordList()
    private(set) var referrals = RecordList()
    private(set) var turnAways = RecordList()
    /// Per site (by index) and kind, the records above: the live view asks "how many today" every
    /// update and every scrape, under the lock the acknowledgements need, so it must not count
    /// a busy day's records one by one.
    private var bySite: [[UInt32]] = []

    static let countedKinds: [EventKind] = [.intake, .incident, .referral, .turnAway]

    /// How many records of `kind` the day holds for the site with index `site`.
    func count(_ kind: EventKind, site: UInt8) -> UInt32 {
        guard Int(site) < bySite.count, let k = Self.countedKinds.firstIndex(of: kind) else { return 0 }
        return bySite[Int(site)][k]
    }

    private mutating func tally(_ record: EventRecord, _ kind: EventKind, _ delta: Int) {
        guard let k = Self.countedKinds.firstIndex(of: kind) else { return }
        let s = Int(record.site)
        while bySite.count <= s { bySite.append([0, 0, 0, 0]) }
        bySite[s][k] = UInt32(Int(bySite[s][k]) + delta)
    }

    func records(_ kind: EventKind) -> RecordList {
        switch kind {
        case .intake: intakes
        case .incident: incidents
        case .referral: referrals
        case .turnAway: turnAways
        default: RecordList()
        }
    }

    /// Records of every kind on the day.
    var count: Int { intakes.count + incidents.count + referrals.count + turnAways.count }

    mutating func insert(_ record: EventRecord, kind: EventKind) {
        tally(record, kind, 1)
        switch kind {
        case .intake: intakes.insert(record)
        case .incident: incidents.insert(record)
        case .referral: referrals.insert(record)
        case .turnAway: turnAways.insert(record)
        default: break
        }
    }

    /// Removes one record equal to `record`; false when there is none.
    mutating func remove(_ record: EventRecord, kind: EventKind) -> Bool {
        let taken: Bool
        switch kind {
        case .intake: taken = intakes.remove(record)
        case .incident: taken = incidents.remove(record)
        case .referral: taken = referrals.remove(record)
        case .turnAway: taken = turnAways.remove(record)
        default: taken = false
        }
        if taken { tally(record, kind, -1) }
        return taken
    }
}

/// Every reportable event of the stored history, bucketed by local day and kept in day order, so
/// that a report over a date range touches only the days inside it.
struct DayHistory: Sendable {
    /// Local day numbers, ascending; `buckets[i]` belongs to `days[i]`.
    private(set) var days: [Int32] = []
    private(set) var buckets: [DayBucket] = []
    private(set) var recordCount = 0

    mutating func insert(_ record: EventRecord, kind: EventKind, day: Int32) {
        let i = lowerBound(day)
        if i == days.count || days[i] != day {
            days.insert(day, at: i)
            buckets.insert(DayBucket(), at: i)
        }
        buckets[i].insert(record, kind: kind)
        recordCount += 1
    }

    /// Drops the days `from…to` (a year retention now keeps as aggregates).
    mutating func removeDays(from: Int32, to: Int32) {
        let range = indices(from: from, to: to)
        for i in range {
            recordCount -= buckets[i].count
        }
        days.removeSubrange(range)
        buckets.removeSubrange(range)
    }

    /// The days `from…to` as a history of their own.
    func slice(from: Int32, to: Int32) -> DayHistory {
        let range = indices(from: from, to: to)
        var part = DayHistory()
        part.days = Array(days[range])
        part.buckets = Array(buckets[range])
        part.recordCount = part.buckets.reduce(0) { $0 + $1.count }
        return part
    }

    /// Replaces the days `from…to` with `other`'s (all of which lie inside that range): a year
    /// retention now keeps as aggregates, built apart so that the swap is the only work done
    /// under the counters' lock.
    mutating func replaceDays(from: Int32, to: Int32, with other: DayHistory) {
        removeDays(from: from, to: to)
        let at = lowerBound(from)
        days.insert(contentsOf: other.days, at: at)
        buckets.insert(contentsOf: other.buckets, at: at)
        recordCount += other.recordCount
    }

    /// Takes back a record `insert` put in (a correction withdrew or replaced its event).
    mutating func remove(_ record: EventRecord, kind: EventKind, day: Int32) {
        let i = lowerBound(day)
        guard i < days.count, days[i] == day, buckets[i].remove(record, kind: kind) else { return }
        recordCount -= 1
    }

    func bucket(day: Int32) -> DayBucket? {
        let i = lowerBound(day)
        return i < days.count && days[i] == day ? buckets[i] : nil
    }

    /// Indices into `days`/`buckets` of the days within `from…to`.
    func indices(from: Int32, to: Int32) -> Range<Int> {
        guard from <= to else { return 0..<0 }
        return lowerBound(from)..<lowerBound(to + 1)
    }

    private func lowerBound(_ day: Int32) -> Int {
        if let last = days.last, last < day { return days.count }
        var lo = 0, hi = days.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if days[mid] < day { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
