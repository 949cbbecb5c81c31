import DCRModel

/// One simulated room: its site code, its booths and how busy a normal weekday is.
public struct SimulatedSite: Sendable, Hashable {
    public var code: String
    public var capacity: UInt32
    /// Intakes on a plain weekday (no Friday, no payday); the daily count is drawn around it.
    public var intakesPerDay: Double

    /// `intakesPerDay` defaults to 12 per booth: H17 (12 booths) ≈ 144 a day, about the
    /// temporary room's 7,826 in 8 weeks.
    public init(code: String, capacity: UInt32, intakesPerDay: Double? = nil) {
        self.code = code
        self.capacity = capacity
        self.intakesPerDay = intakesPerDay ?? Double(capacity) * 12
    }

    public init(_ site: Site) { self.init(code: site.code, capacity: site.capacity) }
}

/// The shape of a simulated room. The defaults are the documents' figures where they exist
/// (`../shared/DOMAIN.md`), otherwise stated assumptions.
public struct SimulatorSettings: Sendable {
    public var sites: [SimulatedSite]
    public var seed: UInt64

    /// Local opening hours: seconds after local midnight. Intakes start no later than
    /// `lastIntake` so that every session ends before closing.
    public var opening = 8 * 3600 + 30 * 60
    public var closing = 23 * 3600 + 30 * 60
    public var lastIntake = 23 * 3600

    /// Share of a day's intakes between 12:00 and 18:00 ("most intakes 12–18").
    public var middayShare = 0.60
    /// Share of the rest that falls in the morning (08:30–12:00); the remainder is the evening.
    public var morningShareOfRest = 0.45
    public var fridayFactor = 1.2
    /// Days 1–3 of the month: many clients get their money around the first.
    public var paydayFactor = 1.4
    public var paydayDays: ClosedRange<Int> = 1...3

    /// Booth sessions last 20–30 minutes.
    public var sessionSeconds: ClosedRange<Int> = 20 * 60...30 * 60
    /// A client who finds every booth taken waits at most this long, then leaves (not counted).
    public var maxWaitSeconds = 45 * 60

    public var womenShare = 0.195
    /// Ages are drawn from a normal distribution clamped to 18…65.
    public var meanAge = 37.0
    public var ageSpread = 9.0

    /// The client pool is sized so that each client visits about this often in 8 weeks; visits
    /// per client are heavy-tailed (log-normal activity weights).
    public var visitsPerClientIn8Weeks = 17.0
    public var activitySpread = 1.0
    /// Each day, this fraction of a site's clients stops coming and is replaced by a new one.
    public var turnoverPerDay = 0.002

    /// Situation reports (other than overdoses) per day at a site with 144 intakes a day.
    public var incidentsPerDay = 1.0
    /// Denmark: 0.85 overdoses per 1,000 intakes.
    public var overdosesPer1000Intakes = 0.85
    /// Insite: about 2.5 referrals per 100 visits.
    public var referralsPer100Intakes = 2.5

    public init(sites: [SimulatedSite] = Site.defaults.map(SimulatedSite.init), seed: UInt64 = 1) {
        self.sites = sites
        self.seed = seed
    }
}
