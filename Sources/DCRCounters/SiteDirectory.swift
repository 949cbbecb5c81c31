import DCRModel

/// The sites the counters know: those configured now, in configuration order, and every site
/// ever seen in an event (a reload may drop a site whose history must still be reportable).
/// Indices are stable for the life of the counters and fit the records' one byte.
struct SiteDirectory: Sendable {
    static let maxSites = 256

    private(set) var codes: [String] = []
    private var indexByCode: [String: Int] = [:]
    private(set) var configured: [Site] = []

    init(configured sites: [Site]) {
        configure(sites)
    }

    mutating func configure(_ sites: [Site]) {
        configured = []
        var seen = Set<String>()
        for site in sites where seen.insert(site.code).inserted {
            configured.append(site)
            _ = intern(site.code)
        }
    }

    func index(of code: String) -> Int? { indexByCode[code] }

    /// The site's index, adding it if new; nil only once 256 sites are known.
    mutating func intern(_ code: String) -> Int? {
        if let i = indexByCode[code] { return i }
        guard codes.count < Self.maxSites else { return nil }
        codes.append(code)
        indexByCode[code] = codes.count - 1
        return codes.count - 1
    }

    func capacity(of code: String) -> UInt32? {
        configured.first { $0.code == code }?.capacity
    }
}
