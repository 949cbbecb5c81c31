import DCRModel
import Testing
@testable import DCRCounters

@Suite("Reports refuse questions they cannot answer, naming the field")
struct ReportErrorTests {
    let counters = Fixture.counters()
    let from = Fixture.date(2023, 1, 1), to = Fixture.date(2023, 1, 31)

    func refusal(_ q: ReportQuery) -> StatusError? {
        do {
            _ = try counters.report(q)
            return nil
        } catch {
            return error
        }
    }

    @Test("a dimension the measure's events do not carry is INVALID_ARGUMENT",
          arguments: [(Measure.intakes, Dimension.referralTarget, "report.group_by: referral target does not apply to intakes"),
                      (.intakes, .incidentKind, "report.group_by: incident kind does not apply to intakes"),
                      (.distinctClients, .victimGender, "report.group_by: victim gender does not apply to distinct clients"),
                      (.incidents, .gender, "report.group_by: gender does not apply to incidents"),
                      (.incidents, .substance, "report.group_by: substance does not apply to incidents"),
                      (.referrals, .ageBand, "report.group_by: age band does not apply to referrals"),
                      (.referrals, .incidentKind, "report.group_by: incident kind does not apply to referrals")])
    func inapplicable(measure: Measure, dimension: Dimension, message: String) {
        let e = refusal(ReportQuery(measure: measure, from: from, to: to, groupBy: [.year, dimension]))
        #expect(e == StatusError(.invalidArgument, message))
    }

    @Test("every dimension the measure's events carry is accepted")
    func applicable() throws {
        let all: [Measure: [Dimension]] = [
            .intakes: [.site, .year, .month, .isoWeek, .date, .weekday, .hour, .gender, .ageBand, .substance, .route, .municipality],
            .incidents: [.site, .year, .month, .isoWeek, .date, .weekday, .hour, .incidentKind, .victimGender],
            .referrals: [.site, .year, .month, .isoWeek, .date, .weekday, .hour, .gender, .referralTarget],
        ]
        for (measure, dims) in all {
            for d in dims { _ = try counters.report(ReportQuery(measure: measure, from: from, to: to, groupBy: [d])) }
        }
        _ = try counters.report(ReportQuery(measure: .distinctClients, from: from, to: to, groupBy: all[.intakes]!))
    }

    @Test("from after to is INVALID_ARGUMENT naming report.from")
    func fromAfterTo() throws {
        let e = try #require(refusal(ReportQuery(measure: .intakes, from: to, to: from)))
        #expect(e.code == .invalidArgument)
        #expect(e.message.hasPrefix("report.from: 2023-01-31 is after report.to (2023-01-01)"))
    }

    @Test("an unknown site in the filter is NOT_FOUND and lists the known ones")
    func unknownSite() throws {
        let e = try #require(refusal(ReportQuery(measure: .intakes, from: from, to: to, sites: ["H17", "NOPE"])))
        #expect(e.code == .notFound)
        #expect(e.message == "report.sites: \"NOPE\" is not a known site (H17, SKYEN, MOBILE)")
    }

    @Test("no measure, an unknown dimension, a dimension twice, a scale that is no factor")
    func otherRefusals() {
        #expect(refusal(ReportQuery(measure: .unspecified, from: from, to: to))?.message
                == "report.measure: required, one of intakes, clients, incidents, referrals, turn-aways")
        #expect(refusal(ReportQuery(measure: .intakes, from: from, to: to, groupBy: [.unspecified]))?.message
                == "report.group_by: unknown dimension")
        #expect(refusal(ReportQuery(measure: .intakes, from: from, to: to, groupBy: [.isoWeek, .site, .isoWeek]))?.message
                == "report.group_by: iso week is given twice")
        for scale in [0, -12, Double.nan, .infinity] {
            #expect(refusal(ReportQuery(measure: .intakes, from: from, to: to, scale: scale))?.code == .invalidArgument)
        }
    }
}
