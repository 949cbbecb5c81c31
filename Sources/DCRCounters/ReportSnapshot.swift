import DCRModel

/// The counters as a report sees them: taken under the caller's lock, read without it.
///
/// It shares only what a report reads (the day history, the sites, the aggregates) and the
/// number of clients, not the client index itself, nor the live windows, booths and
/// suspensions; and it offers nothing but reports, so the parts it leaves out cannot be missed.
///
/// Why: a copy of the whole counters shares everything, and the next event after it then copies
/// what it touches while the acknowledgements wait on the lock. A new client's pseudonym copied
/// the whole client index (tens of thousands of entries), every event its site's second and
/// minute rings (about 180 KB). With a report loop beside a paced load that doubled the
/// acknowledgements' p99 (`Benchmarks/README.md`, "Acknowledgements beside a report loop").
public struct ReportSnapshot: Sendable {
    let counters: LiveCounters

    init(_ live: LiveCounters) {
        var copy = live
        copy.windows = []
        copy.booths = []
        copy.clients = live.clients.countOnly
        copy.suspensions = SuspensionBook()
        counters = copy
    }

    /// `LiveCounters.report(_:betweenDays:)` on the snapshot.
    public func report(_ query: ReportQuery, betweenDays: () -> Void = {}) throws(StatusError) -> Report {
        try counters.report(query, betweenDays: betweenDays)
    }
}

extension LiveCounters {
    /// What a report is computed on (`ReportSnapshot`).
    public var reportSnapshot: ReportSnapshot { ReportSnapshot(self) }
}
