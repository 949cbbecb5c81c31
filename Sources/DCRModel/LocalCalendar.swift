import Foundation

/// Where an instant falls in the daemon's local time.
public struct LocalTime: Sendable, Hashable {
    public var date: LocalDate
    public var hour: Int
    public var minute: Int
    /// Seconds since local midnight.
    public var secondOfDay: Int
    /// The UTC offset in force at that instant, in seconds.
    public var utcOffset: Int
}

/// Converts instants to local dates and hours in one time zone (default Europe/Copenhagen).
///
/// The zone's offset transitions are looked up once, at creation, so each conversion is a binary
/// search and integer arithmetic: replaying a million events must not call into ICU a million
/// times. Values are immutable, so counters can hold one without locks.
public struct LocalCalendar: Sendable {
    public let identifier: String
    /// Transition instants (Unix seconds, ascending) and the offset in force from each one on.
    private let transitions: [Int64]
    private let offsets: [Int]

    public static let defaultIdentifier = "Europe/Copenhagen"

    /// Nil for a zone name the system does not know.
    public init?(identifier: String = LocalCalendar.defaultIdentifier) {
        guard let zone = TimeZone(identifier: identifier) else { return nil }
        self.identifier = identifier
        var instants: [Int64] = [Int64.min]
        let start = Date(timeIntervalSince1970: 0)  // 1970: earlier events are refused anyway
        var offs: [Int] = [zone.secondsFromGMT(for: start)]
        var cursor = start
        let end = Date(timeIntervalSince1970: 4_102_444_800)  // 2100-01-01
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < end {
            instants.append(Int64(next.timeIntervalSince1970.rounded()))
            offs.append(zone.secondsFromGMT(for: next))
            cursor = next
        }
        self.transitions = instants
        self.offsets = offs
    }

    /// The UTC offset (seconds) in force at a Unix instant.
    public func utcOffset(atUnixSeconds t: Int64) -> Int {
        var lo = 0, hi = transitions.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if transitions[mid] <= t { lo = mid } else { hi = mid - 1 }
        }
        return offsets[lo]
    }

    public func localTime(ms: Int64) -> LocalTime {
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let offset = utcOffset(atUnixSeconds: seconds)
        let local = seconds + Int64(offset)
        let day = Int(local >= 0 ? local / 86400 : (local - 86399) / 86400)
        let sod = Int(local - Int64(day) * 86400)
        return LocalTime(date: LocalDate(dayNumber: day), hour: sod / 3600, minute: sod % 3600 / 60,
                         secondOfDay: sod, utcOffset: offset)
    }

    /// Local day number (days since 1970-01-01 in local time) of an instant.
    public func dayNumber(ms: Int64) -> Int { localTime(ms: ms).date.dayNumber }

    /// The first instant (Unix ms) of a local date: local midnight, or the first existing local
    /// time after it on a day that starts inside a spring-forward gap.
    public func startOfDay(_ date: LocalDate) -> Int64 {
        let localMidnight = Int64(date.dayNumber) * 86400
        var guess = localMidnight - Int64(utcOffset(atUnixSeconds: localMidnight))
        let corrected = localMidnight - Int64(utcOffset(atUnixSeconds: guess))
        if corrected != guess { guess = min(guess, corrected) }
        // Make sure the instant really belongs to `date`.
        while localTime(ms: guess * 1000).date < date { guess += 900 }
        while localTime(ms: (guess - 1) * 1000).date == date { guess -= 900 }
        return guess * 1000
    }

    /// The instant (Unix ms) of a local wall-clock time; for a time that occurs twice (autumn)
    /// the first, for one that does not exist (spring) the instant just after the gap.
    public func instant(date: LocalDate, hour: Int, minute: Int = 0, second: Int = 0) -> Int64 {
        let wanted = Int64(date.dayNumber) * 86400 + Int64(hour * 3600 + minute * 60 + second)
        let before = wanted - Int64(utcOffset(atUnixSeconds: wanted - 86400))
        let after = wanted - Int64(utcOffset(atUnixSeconds: wanted + 86400))
        for candidate in [min(before, after), max(before, after)] {
            let lt = localTime(ms: candidate * 1000)
            if Int64(lt.date.dayNumber) * 86400 + Int64(lt.secondOfDay) == wanted { return candidate * 1000 }
        }
        return max(before, after) * 1000
    }
}
