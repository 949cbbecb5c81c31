import DCRModel
import Testing

@Suite("Local dates and the Copenhagen calendar")
struct LocalDateTests {
    @Test("day numbers round-trip across centuries")
    func dayNumbersRoundTrip() {
        for n in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(LocalDate(dayNumber: n).dayNumber == n)
        }
        #expect(LocalDate(year: 1970, month: 1, day: 1).dayNumber == 0)
        #expect(LocalDate(year: 2000, month: 3, day: 1).dayNumber == 11017)
    }

    @Test("parsing accepts real dates only")
    func parsing() {
        #expect(LocalDate(parsing: "2022-12-18") == LocalDate(year: 2022, month: 12, day: 18))
        #expect(LocalDate(parsing: "2023-02-29") == nil)
        #expect(LocalDate(parsing: "2024-02-29") != nil)
        #expect(LocalDate(parsing: "18.12.2022") == nil)
        #expect(LocalDate(parsing: "2022-1-18") == nil)
    }

    @Test("the text is YYYY-MM-DD, zero-padded, and parses back to the same date for every day of years 0001–9999")
    func text() {
        #expect(LocalDate(year: 2026, month: 12, day: 7).description == "2026-12-07")
        #expect(LocalDate(year: 42, month: 3, day: 9).description == "0042-03-09")
        #expect(LocalDate(year: 9999, month: 12, day: 31).description == "9999-12-31")
        let first = LocalDate(year: 1, month: 1, day: 1).dayNumber, last = LocalDate(year: 9999, month: 12, day: 31).dayNumber
        for n in stride(from: first, through: last, by: 3) {
            let date = LocalDate(dayNumber: n)
            #expect(LocalDate(parsing: date.description) == date, "\(date.year)-\(date.month)-\(date.day)")
        }
        // Outside what four digits hold, the general form.
        #expect(LocalDate(year: 12345, month: 1, day: 2).description == "12345-01-02")
    }

    @Test("ISO weeks: week 53 and week 1 straddle the new year")
    func isoWeeks() {
        #expect(LocalDate(year: 2020, month: 12, day: 31).isoWeek == (2020, 53))
        #expect(LocalDate(year: 2021, month: 1, day: 3).isoWeek == (2020, 53))
        #expect(LocalDate(year: 2021, month: 1, day: 4).isoWeek == (2021, 1))
        #expect(LocalDate(year: 2024, month: 12, day: 30).isoWeek == (2025, 1))
        #expect(LocalDate(year: 2012, month: 10, day: 5).isoWeekday == 5)  // a Friday
    }

    @Test("Copenhagen: the spring hour that does not exist and the autumn hour that happens twice")
    func daylightSaving() throws {
        let cal = try #require(LocalCalendar(identifier: "Europe/Copenhagen"))
        // 2023-03-26 01:59:59Z is 03:59:59 CEST; 00:59:59Z is 01:59:59 CET.
        #expect(cal.localTime(ms: 1_679_792_399_000).hour == 1)
        #expect(cal.localTime(ms: 1_679_792_400_000).hour == 3)
        // 2023-10-29: 00:30Z is 02:30 CEST and 01:30Z is 02:30 CET, both on the 29th.
        let first = cal.localTime(ms: 1_698_539_400_000)
        let second = cal.localTime(ms: 1_698_543_000_000)
        #expect(first.hour == 2 && second.hour == 2)
        #expect(first.date == second.date)
        #expect(first.utcOffset == 7200 && second.utcOffset == 3600)
        // The day of the autumn change lasts 25 hours, the spring one 23.
        let oct29 = LocalDate(year: 2023, month: 10, day: 29)
        #expect(cal.startOfDay(oct29.adding(days: 1)) - cal.startOfDay(oct29) == 25 * 3_600_000)
        let mar26 = LocalDate(year: 2023, month: 3, day: 26)
        #expect(cal.startOfDay(mar26.adding(days: 1)) - cal.startOfDay(mar26) == 23 * 3_600_000)
        // Local midnight is 23:00Z the day before in winter.
        #expect(cal.startOfDay(LocalDate(year: 2023, month: 1, day: 1)) == 1_672_527_600_000)
        #expect(cal.localTime(ms: 1_672_527_599_999).date == LocalDate(year: 2022, month: 12, day: 31))
    }
}
