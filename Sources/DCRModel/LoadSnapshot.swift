/// How full one site is right now and how today compares with a normal day.
public struct SiteLoad: Sendable, Hashable {
    public var site: String
    public var boothsTaken: UInt32
    public var capacity: UInt32
    public var intakes5m: UInt32
    public var intakes15m: UInt32
    public var intakes1h: UInt32
    public var intakesToday: UInt32
    /// Mean intakes up to this time of day on the same weekday over the last 4 weeks.
    public var typicalToday: Double
    /// How many of those 4 weeks had history; 0 means "no history yet".
    public var typicalWeeks: UInt32
    public var incidentsToday: UInt32
    public var referralsToday: UInt32
    /// Intakes per minute over the last 60 minutes, oldest first.
    public var intakesPerMinute: [UInt32]
    public var turnAwaysToday: UInt32

    public init(site: String, boothsTaken: UInt32 = 0, capacity: UInt32, intakes5m: UInt32 = 0,
                intakes15m: UInt32 = 0, intakes1h: UInt32 = 0, intakesToday: UInt32 = 0,
                typicalToday: Double = 0, typicalWeeks: UInt32 = 0, incidentsToday: UInt32 = 0,
                referralsToday: UInt32 = 0, intakesPerMinute: [UInt32] = [], turnAwaysToday: UInt32 = 0) {
        self.site = site
        self.boothsTaken = boothsTaken
        self.capacity = capacity
        self.intakes5m = intakes5m
        self.intakes15m = intakes15m
        self.intakes1h = intakes1h
        self.intakesToday = intakesToday
        self.typicalToday = typicalToday
        self.typicalWeeks = typicalWeeks
        self.incidentsToday = incidentsToday
        self.referralsToday = referralsToday
        self.intakesPerMinute = intakesPerMinute
        self.turnAwaysToday = turnAwaysToday
    }
}

/// The live view of every site, stamped with the daemon's clock so a reader can tell its age.
public struct LoadSnapshot: Sendable, Hashable {
    public var serverTimeMs: Int64
    public var uptimeMs: UInt64
    public var serverVersion: String
    public var terminalsConnected: UInt32
    public var eventsPerSecond: Double
    public var sites: [SiteLoad]

    public init(serverTimeMs: Int64, uptimeMs: UInt64 = 0, serverVersion: String = "",
                terminalsConnected: UInt32 = 0, eventsPerSecond: Double = 0, sites: [SiteLoad]) {
        self.serverTimeMs = serverTimeMs
        self.uptimeMs = uptimeMs
        self.serverVersion = serverVersion
        self.terminalsConnected = terminalsConnected
        self.eventsPerSecond = eventsPerSecond
        self.sites = sites
    }
}
