/// A calendar date in the daemon's time zone, as the administration speaks of periods.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
    public var year: Int
    public var month: Int
    public var day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// Days since 1970-01-01 (may be negative): a cheap key for per-day history.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    /// ISO weekday: 1 = Monday … 7 = Sunday.
    public var isoWeekday: Int {
        let w = (dayNumber + 3) % 7  // 1970-01-01 was a Thursday
        return (w < 0 ? w + 7 : w) + 1
    }

    /// ISO 8601 week-numbering year and week (1…53).
    public var isoWeek: (year: Int, week: Int) {
        let thursday = LocalDate(dayNumber: dayNumber - isoWeekday + 4)
        let jan1 = LocalDate(year: thursday.year, month: 1, day: 1).dayNumber
        return (thursday.year, (thursday.dayNumber - jan1) / 7 + 1)
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// "YYYY-MM-DD".
    public var description: String {
        // Written digit by digit: every stored event's `local_date` column is this text, and the
        // padded interpolation below made five strings for it.
        if (0...9999).contains(year) && (1...12).contains(month) && (1...31).contains(day) {
            return String(unsafeUninitializedCapacity: 10) { out in
                let zero = UInt8(ascii: "0")
                out[0] = zero + UInt8(year / 1000)
                out[1] = zero + UInt8(year / 100 % 10)
                out[2] = zero + UInt8(year / 10 % 10)
                out[3] = zero + UInt8(year % 10)
                out[4] = UInt8(ascii: "-")
                out[5] = zero + UInt8(month / 10)
                out[6] = zero + UInt8(month % 10)
                out[7] = UInt8(ascii: "-")
                out[8] = zero + UInt8(day / 10)
                out[9] = zero + UInt8(day % 10)
                return 10
            }
        }
        func pad(_ v: Int, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Parses "YYYY-MM-DD"; nil for anything else, including dates that do not exist.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1 else { return nil }
        let candidate = LocalDate(year: y, month: m, day: d)
        guard LocalDate(dayNumber: candidate.dayNumber) == candidate else { return nil }
        self = candidate
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.dayNumber < b.dayNumber }
}
