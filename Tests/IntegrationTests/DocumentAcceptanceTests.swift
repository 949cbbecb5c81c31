import DCRTestSupport
import Foundation
import Testing

/// Issue 14: the council's document, rendered from the real dcrd's reports, opened in a real
/// headless Chromium, and compared number by number with `dcrctl report --json`.
/// Debian's headless-capable Chromium, installed by scripts/install-deps.
enum Browser {
    static let path = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }
}

@Suite("dcrctl document: the council's report in a real browser", .serialized,
       .enabled(if: Browser.path != nil, "needs chromium (scripts/install-deps)"))
struct DocumentAcceptanceTests {
    /// Screenshots and PDFs a person can look at after the run.
    static let outputFolder = DaemonProcess.repositoryRoot.appendingPathComponent(".build/test-output/document").path

    /// Runs a program to the end with a deadline; output to files.
    static func run(_ executable: String, _ arguments: [String], timeout: Duration = .seconds(90)) async throws -> (status: Int32, out: String) {
        let dir = NSTemporaryDirectory() + "dcr-doc-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let child = try ChildProcess(executable: executable, arguments: arguments, environment: ProcessInfo.processInfo.environment,
                                     stdout: .file(dir + "/out"), stderr: .file(dir + "/err"))
        let status = try await eventually("\(executable) to exit", timeout: timeout) { child.isRunning ? nil : child.terminationStatus }
        return (status, (try? String(contentsOfFile: dir + "/out", encoding: .utf8)) ?? "")
    }

    static func browser(_ arguments: [String]) async throws -> (status: Int32, out: String) {
        let profile = NSTemporaryDirectory() + "dcr-chromium-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: profile) }
        return try await run(Browser.path!, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                                         "--user-data-dir=\(profile)", "--allow-file-access-from-files"] + arguments)
    }

    /// The page as Chromium parsed it: every cell with its `data-row`, `data-col` and its
    /// `data-count` (or `data-share`).
    static func cells(_ dom: String, attribute: String) -> [String: Int] {
        var out: [String: Int] = [:]
        let pattern = #"data-row="([^"]*)" data-col="([^"]*)" data-"# + attribute + #"="(-?\d+)""#
        let regex = try! NSRegularExpression(pattern: pattern)
        for m in regex.matches(in: dom, range: NSRange(dom.startIndex..., in: dom)) {
            let g = { (i: Int) in String(dom[Range(m.range(at: i), in: dom)!]) }
            out[g(1) + "/" + g(2)] = Int(g(3))
        }
        return out
    }

    static func tableSection(_ dom: String, _ id: String) -> String {
        guard let start = dom.range(of: "<section id=\"\(id)\"") else { return "" }
        let rest = dom[start.lowerBound...]
        guard let end = rest.range(of: "</section>") else { return String(rest) }
        return String(rest[..<end.upperBound])
    }

    @Test("year layout over Table 1: the browser's numbers equal report --json; 2016 reads 83 % / 17 % / 100 %; prints to A4")
    func yearLayout() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        try await daemon.sendAll(ReportAcceptanceTests.table1Events())
        try FileManager.default.createDirectory(atPath: Self.outputFolder, withIntermediateDirectories: true)
        let html = Self.outputFolder + "/year-da.html"
        let period = ["--from", "2016-01-01", "--to", "2022-12-31"]
        let made = try await daemon.dcrctl(["document", "year", "--output", html] + period)
        #expect(made.status == 0, "\(made.stderr)")

        let page = try await Self.browser(["--dump-dom", "file://" + html])
        #expect(page.status == 0)
        let table1 = Self.tableSection(page.out, "clients-by-year-gender")
        let counts = Self.cells(table1, attribute: "count")
        let report = try await daemon.dcrctl(["report", "clients", "--by", "year,gender", "--json"] + period).json()
        let rows = (report["rows"] as? [[String: Any]]) ?? []
        #expect(rows.count == 14)
        for row in rows {
            let keys = row["keys"] as? [String] ?? []
            #expect(counts[keys.joined(separator: "/")] == row["count"] as? Int, "\(keys)")
        }
        for sub in (report["subtotals"] as? [[String: Any]]) ?? [] {
            let year = (sub["keys"] as? [String])?.first ?? ""
            #expect(counts[year + "/total"] == sub["count"] as? Int, "\(year) total")
        }
        let shares = Self.cells(table1, attribute: "share")
        #expect(shares["2016/male"] == 83 && shares["2016/female"] == 17 && shares["2016/total"] == 100, "\(shares)")
        #expect(table1.contains("5.439") && table1.contains("6.534"), "Danish digit groups")
        #expect(page.out.contains("Intern"), "an internal document says so")
        #expect(page.out.contains("Mænd") && page.out.contains("Kvinder") && page.out.contains("Unikke brugere"))
        #expect(!page.out.contains("http://") && !page.out.contains("https://"), "no external resources")

        // A4: Chromium prints it; page 1 becomes a PNG for a person to look at.
        let pdf = Self.outputFolder + "/year-da.pdf"
        let printed = try await Self.browser(["--no-pdf-header-footer", "--print-to-pdf=\(pdf)", "file://" + html])
        #expect(printed.status == 0 && FileManager.default.fileExists(atPath: pdf))
        let info = try await Self.run("/usr/bin/pdfinfo", [pdf])
        #expect(info.out.contains("(A4)"), "A4 pages: \(info.out)")
        let png = try await Self.run("/usr/bin/pdftoppm", ["-png", "-r", "60", "-f", "1", "-l", "1", pdf, Self.outputFolder + "/year-da-page"])
        #expect(png.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: Self.outputFolder).contains { $0.hasPrefix("year-da-page") && $0.hasSuffix(".png") })
        #expect(try await daemon.stop() == 0)
    }

    @Test("status layout over the 2012 eight weeks, in English and published: numbers equal, nothing below 5 shown")
    func statusLayout() async throws {
        let daemon = try DaemonProcess(configuration: "site TEMP 12")
        defer { daemon.cleanUp() }
        try await daemon.start()
        let (first, last, _, _, events) = ReportAcceptanceTests.eightWeeksEvents()
        try await daemon.sendAll(events)
        let period = ["--from", first.description, "--to", last.description]
        let html = Self.outputFolder + "/status-en.html"
        try FileManager.default.createDirectory(atPath: Self.outputFolder, withIntermediateDirectories: true)
        let made = try await daemon.dcrctl(["document", "status", "--lang", "en", "--public", "--output", html] + period)
        #expect(made.status == 0, "\(made.stderr)")
        let page = try await Self.browser(["--dump-dom", "file://" + html])
        let bySite = Self.cells(Self.tableSection(page.out, "intakes-by-site"), attribute: "count")
        #expect(bySite["TEMP/count"] == 7_826 && bySite["MOBILE/count"] == 1_987 && bySite["total/count"] == 9_813, "\(bySite)")
        let key = Self.cells(Self.tableSection(page.out, "key-figures"), attribute: "count")
        let clients = try await daemon.dcrctl(["report", "clients", "--json"] + period).json()
        #expect(key["clients/count"] == clients["total"] as? Int)
        #expect(page.out.contains("9,813") && page.out.contains("For publication"))
        #expect(page.out.contains("data-chart=\"intakes-per-week\""))
        let week37 = try #require(page.out.range(of: #"data-key="2012-W37" data-count="(\d+)""#, options: .regularExpression))
        #expect(page.out[week37].contains("1550"), "week 5 of the eight carries its count")
        let shot = Self.outputFolder + "/status-en.png"
        let screenshot = try await Self.browser(["--window-size=1000,1400", "--screenshot=\(shot)", "file://" + html])
        #expect(screenshot.status == 0 && FileManager.default.fileExists(atPath: shot))
        #expect(try await daemon.stop() == 0)
    }
}
