import ArgumentParser
import DCRDocument
import DCRModel
import Foundation

struct DocumentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "document",
        abstract: "The council's report as one self-contained HTML file (tables, charts), in Danish by default.",
        discussion: """
            Layouts: status (intakes per day and week, distinct clients, intakes by site, referrals \
            by target, incidents by kind, like the 2012 eight-week status) and year (distinct \
            clients per year by gender with shares, incidents by kind and victim's gender, \
            referrals, intakes per month, each year against the one before). Every number comes \
            from the same report engine as `dcrctl report`.

            Without --public the document is marked internal. With --public every cell below the \
            threshold is printed as "<5" and further cells are hidden ("×") so that no hidden \
            number can be worked out from the totals. --scale adds estimate columns, marked as \
            such, beside the counts; it never replaces them.

            The HTML has no external resources and prints to A4 from a browser. --format json \
            writes the same numbers (after suppression) as JSON; --format csv writes one CSV per \
            table into the --output folder.

            Examples:
              dcrctl document status --from 2012-08-13 --to 2012-10-07 --output status.html
              dcrctl document year --from 2016-01-01 --to 2022-12-31 --public --output aar.html
              dcrctl document status --month 2026-10 --lang en --format csv --output oct-csv
            """)

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "status or year.") var layout: String
    @Option(name: .long, help: ArgumentHelp("First local date, YYYY-MM-DD.", valueName: "date")) var from: String?
    @Option(name: .long, help: ArgumentHelp("Last local date, YYYY-MM-DD (inclusive).", valueName: "date")) var to: String?
    @Option(name: .long, help: ArgumentHelp("One calendar month, YYYY-MM (instead of --from/--to).", valueName: "month")) var month: String?
    @Option(name: .long, help: ArgumentHelp("One calendar year, YYYY (instead of --from/--to).", valueName: "year")) var year: String?
    @Option(name: .long, help: ArgumentHelp("Only these sites (repeatable).", valueName: "code")) var site: [String] = []
    @Option(name: .long, help: ArgumentHelp("da (default) or en.", valueName: "lang")) var lang: String = "da"
    @Flag(name: .long, help: "For publication: suppress small cells (see --threshold) and their complements.") var `public` = false
    @Option(name: .long, help: ArgumentHelp("With --public: cells below this are suppressed (default 5).", valueName: "n")) var threshold: UInt64 = 5
    @Option(name: .long, help: ArgumentHelp("An estimate factor, e.g. 12 for one month × 12; printed as an estimate beside the counts.", valueName: "n")) var scale: Double?
    @Option(name: .long, help: ArgumentHelp("html (default), json or csv.", valueName: "format")) var format: String = "html"
    @Option(name: [.short, .long], help: ArgumentHelp("Write here (a folder for csv); default standard output (html, json).", valueName: "path")) var output: String?

    func period() throws -> (LocalDate, LocalDate) {
        let given = [from != nil || to != nil, month != nil, year != nil].filter { $0 }.count
        guard given == 1 else { throw ValidationError("give the period once: --from and --to, or --month YYYY-MM, or --year YYYY") }
        if let month {
            let p = month.split(separator: "-")
            guard p.count == 2, let y = Int(p[0]), let m = Int(p[1]), (1...12).contains(m), (1900...9999).contains(y) else {
                throw ValidationError("--month \(month): expected YYYY-MM")
            }
            let first = LocalDate(year: y, month: m, day: 1)
            let next = m == 12 ? LocalDate(year: y + 1, month: 1, day: 1) : LocalDate(year: y, month: m + 1, day: 1)
            return (first, next.adding(days: -1))
        }
        if let year {
            guard let y = Int(year), (1900...9999).contains(y) else { throw ValidationError("--year \(year): expected YYYY") }
            return (LocalDate(year: y, month: 1, day: 1), LocalDate(year: y, month: 12, day: 31))
        }
        guard let from, let f = LocalDate(parsing: from) else { throw ValidationError("--from \(from ?? ""): expected a date YYYY-MM-DD") }
        guard let to, let t = LocalDate(parsing: to) else { throw ValidationError("--to \(to ?? ""): expected a date YYYY-MM-DD") }
        guard !(t < f) else { throw ValidationError("--to \(to) is before --from \(from)") }
        return (f, t)
    }

    func validate() throws {
        guard Layout(rawValue: layout) != nil else { throw ValidationError("\(layout): expected status or year") }
        guard Language(rawValue: lang) != nil else { throw ValidationError("--lang \(lang): expected da or en") }
        guard ["html", "json", "csv"].contains(format) else { throw ValidationError("--format \(format): expected html, json or csv") }
        if format == "csv" && output == nil { throw ValidationError("--format csv writes one file per table: give --output FOLDER") }
        if let scale, !(scale > 0) { throw ValidationError("--scale \(scale): must be a positive number") }
        if threshold < 2 { throw ValidationError("--threshold \(threshold): must be at least 2") }
        _ = try period()
    }

    func run() async throws {
        let (f, t) = try period()
        let c = try await connection.open(role: .monitor)
        defer { Task { await c.close() } }
        var madeAt = ""
        if case .status(let s) = try checked(try await c.send(.status)).body { madeAt = Self.utc(s.serverTimeMs) }
        let document = try await Layout(rawValue: layout)!.build(
            from: f, to: t, sites: site, scale: scale, language: Language(rawValue: lang)!,
            publicThreshold: `public` ? threshold : nil, madeAt: madeAt,
            reports: { q in
                guard case .report(let r) = try checked(try await c.send(.report(q))).body else { throw ExitCode(1) }
                return r
            })
        switch format {
        case "csv":
            let dir = output!
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for file in DataRenderer.csv(document) { try write(file.text, to: dir + "/" + file.name) }
        case "json": try emit(DataRenderer.json(document))
        default: try emit(HTMLRenderer.render(document))
        }
    }

    func emit(_ text: String) throws {
        if let output { try write(text, to: output) } else { print(text, terminator: "") }
    }

    /// Whole or not at all: a temporary file renamed into place.
    func write(_ text: String, to path: String) throws {
        let tmp = path + ".tmp-\(getpid())"
        do {
            try text.write(toFile: tmp, atomically: false, encoding: .utf8)
            _ = rename(tmp, path) == 0 ? () : { unlink(tmp) }()
            guard FileManager.default.fileExists(atPath: path) else { throw CocoaError(.fileWriteUnknown) }
        } catch {
            fail("cannot write \(path): \(error.localizedDescription)")
            throw ExitCode(73)
        }
    }

    static func utc(_ ms: Int64) -> String {
        let day = LocalDate(dayNumber: Int(ms / 86_400_000))
        let minutes = Int((ms % 86_400_000) / 60_000)
        return "\(day) \(minutes / 60 < 10 ? "0" : "")\(minutes / 60):\(minutes % 60 < 10 ? "0" : "")\(minutes % 60) UTC"
    }
}
