import DCRModel

/// What `LiveCounters.planAggregates` decided under the lock: the years that are new to the
/// counters and the site index of each site their counts name (sites only ever get added, so
/// the indices stay valid once the lock is released).
public struct AggregatePlan: Sendable {
    let years: Set<Int>
    let siteIndex: [String: UInt8]
}

/// Years kept as aggregates, rebuilt as history records away from the counters' lock, ready to
/// be swapped in by `LiveCounters.takeAggregates`.
public struct AggregateHistory: Sendable {
    let years: Set<Int>
    var history = DayHistory()
    /// Per site index: the first day with a kept event.
    var firstDay: [Int: Int32] = [:]

    init(years: Set<Int>) { self.years = years }
}
