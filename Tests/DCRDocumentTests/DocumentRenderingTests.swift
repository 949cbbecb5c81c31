import DCRDocument
import DCRModel
import Testing

/// The document's three forms carry the same numbers after the same suppression.
@Suite("Document rendering: HTML, JSON and CSV agree")
struct DocumentRenderingTests {
    static let period = (from: LocalDate(year: 2022, month: 12, day: 18), to: LocalDate(year: 2023, month: 1, day: 18))

    /// Table 2's shape, as the report engine answers it, for the layout to arrange.
    static func reports(_ q: ReportQuery) async throws -> Report {
        switch (q.measure, q.groupBy) {
        case (.incidents, [.incidentKind, .victimGender]):
            let rows = [("violence", "male", 9), ("violence", "female", 7), ("theft", "male", 2), ("theft", "female", 2),
                        ("threat", "male", 4), ("threat", "female", 6)]
            return Report(query: q, rows: rows.map { ReportRow(keys: [$0.0, $0.1], count: UInt64($0.2)) }, total: 30)
        default:
            return Report(query: q, rows: [], total: 0)
        }
    }

    static func document(public threshold: UInt64?, scale: Double? = nil, language: Language = .da) async throws -> Document {
        try await Layout.year.build(from: period.from, to: period.to, sites: ["H17"], scale: scale, language: language,
                                    publicThreshold: threshold, madeAt: "2023-01-19 09:00 UTC", reports: reports)
    }

    @Test("internal: every count of Table 2 printed, Danish words, marked internal; the estimate ×12 marked as such")
    func internalDocument() async throws {
        let html = HTMLRenderer.render(try await Self.document(public: nil, scale: 12))
        #expect(html.contains("data-row=\"violence\" data-col=\"male\" data-count=\"9\""))
        #expect(html.contains("data-row=\"total\" data-col=\"total\" data-count=\"30\""))
        #expect(html.contains("Intern – ikke til offentliggørelse"))
        #expect(html.contains("Vold") && html.contains("Tyveri") && html.contains("Trusler") && html.contains("Kvinder"))
        #expect(html.contains("class=\"estimate\" data-estimate=\"360\""), "Table 3: 30 × 12")
        #expect(html.contains("Skøn: de optalte tal for 18.12.2022–18.01.2023 ganget med × 12"))
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="), "self-contained")
    }

    @Test("public: theft's 2 and 2 hidden with their complements, in HTML, JSON and CSV alike; no 2 or 4 printed")
    func publicDocument() async throws {
        let d = try await Self.document(public: 5)
        let html = HTMLRenderer.render(d)
        #expect(html.contains("data-row=\"theft\" data-col=\"male\" data-suppressed=\"small\""))
        #expect(!html.contains("data-count=\"2\"") && !html.contains("data-count=\"4\""))
        #expect(html.contains("Til offentliggørelse") && html.contains("Celler med færre end 5 er skjult"))
        let json = DataRenderer.json(d)
        #expect(json.hasPrefix("{\"version\":1,"))
        #expect(json.contains("\"male\":{\"suppressed\":\"small\"}"))
        #expect(json.contains("\"public\":true,\"suppression_threshold\":5"))
        let csv = try #require(DataRenderer.csv(d).first { $0.name == "incidents-by-kind-gender.csv" })
        #expect(csv.text.contains("theft,<5,<5"), "\(csv.text)")
        // Theft's total (4) is small too; threat's 4 for men takes a complement in its row, and
        // the column totals then take complements in violence's row. The totals stay.
        #expect(csv.text.contains("threat,<5,x,x") && csv.text.contains("total,15,15,30"), "\(csv.text)")
        let table = SuppressedTable(values: [[9, 7], [2, 2], [4, 6]], threshold: 5, rowTotals: true, columnTotals: true)
        #expect(table.determinedHiddenCells == 0)
    }

    @Test("English: digits grouped with commas, ISO dates, English words")
    func english() async throws {
        let html = HTMLRenderer.render(try await Self.document(public: nil, language: .en))
        #expect(html.contains("2022-12-18 – 2023-01-18") && html.contains("Violence") && html.contains("Women") && html.contains("Internal"))
    }
}
