import DCRModel

/// Everything `dcrctl top` shows, apart from the clock: updated by keys and by the daemon's
/// pushed answers, drawn by `TopLayout`. Pure, so every key and every screen can be tested.
public struct TopState: Sendable {
    /// How the view is connected to the daemon.
    public enum Link: Sendable, Hashable {
        case connecting
        case live
        /// The stream broke; the view is trying again. The reason is shown.
        case reconnecting(String)
    }

    /// What a key asks the program to do.
    public enum Action: Sendable, Hashable {
        case none
        /// Draw again (the view changed, the stream did not).
        case redraw
        /// Ask the daemon again with the new interval or site, then draw.
        case rewatch
        case quit
    }

    /// Refresh intervals `+` and `-` step through, in milliseconds.
    public static let intervals = [250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000]

    public var snapshot: LoadSnapshot?
    public var link: Link = .connecting
    public var intervalMs: Int
    /// nil: all sites.
    public var siteFilter: String?
    /// Every site the daemon reported when asked for all, in its order.
    public var knownSites: [String] = []
    public var showHelp = false

    public init(intervalMs: Int = 1000, siteFilter: String? = nil) {
        self.intervalMs = intervalMs
        self.siteFilter = siteFilter
    }

    /// A fresh answer from the daemon.
    public mutating func received(_ load: LoadSnapshot) {
        snapshot = load
        link = .live
        if siteFilter == nil {
            knownSites = load.sites.map(\.site)
        } else {
            for s in load.sites where !knownSites.contains(s.site) { knownSites.append(s.site) }
        }
    }

    public mutating func lost(_ reason: String) { link = .reconnecting(reason) }

    /// Whether numbers shown are not live: the daemon is away, or the last answer is older than
    /// two intervals.
    public func isStale(ageMs: Int64?) -> Bool {
        guard snapshot != nil, let ageMs else { return false }
        if case .reconnecting = link { return true }
        return ageMs > 2 * Int64(intervalMs)
    }

    public mutating func press(_ key: UInt8) -> Action {
        switch key {
        case UInt8(ascii: "q"), UInt8(ascii: "Q"), 3, 4:  // q, Ctrl-C, Ctrl-D
            return .quit
        case UInt8(ascii: "?"), UInt8(ascii: "h"):
            showHelp.toggle()
            return .redraw
        case 27 where showHelp:  // Esc closes help
            showHelp = false
            return .redraw
        case UInt8(ascii: "s"), UInt8(ascii: "S"):
            guard !knownSites.isEmpty else { return .none }
            if let f = siteFilter, let i = knownSites.firstIndex(of: f) {
                siteFilter = i + 1 < knownSites.count ? knownSites[i + 1] : nil
            } else {
                siteFilter = siteFilter == nil ? knownSites[0] : nil
            }
            return .rewatch
        case UInt8(ascii: "+"), UInt8(ascii: "="):
            return step(+1)
        case UInt8(ascii: "-"), UInt8(ascii: "_"):
            return step(-1)
        case 12:  // Ctrl-L
            return .redraw
        default:
            return .none
        }
    }

    private mutating func step(_ direction: Int) -> Action {
        let i: Int
        if direction > 0 {
            i = Self.intervals.firstIndex { $0 > intervalMs } ?? Self.intervals.count - 1
        } else {
            i = Self.intervals.lastIndex { $0 < intervalMs } ?? 0
        }
        guard Self.intervals[i] != intervalMs else { return .none }
        intervalMs = Self.intervals[i]
        return .rewatch
    }
}
