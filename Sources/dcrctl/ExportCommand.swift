import ArgumentParser
import DCRModel
import DCRStore
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export a period's events from a backup for researchers, pseudonyms re-keyed (CSV or JSON lines).",
        discussion: """
            Reads a backup made by dcrctl backup (never the live store; reading it takes the \
            backup file's permissions, i.e. the daemon's user or root) and writes the events \
            dated --from to --to (local dates, inclusive), one per row, in the store's columns and \
            enumeration numbers (README, "The store, for analysts"). Every pseudonym is re-keyed \
            under the export key: the same client keeps one value within the file (and in \
            every export made with that key), but no value is shared with the store, so the file \
            cannot be joined to it. Event ids, storage sequence and millisecond timestamps are \
            left out for the same reason; the local date and hour stay.

            The export key (32 bytes) is read from --export-key, or created there (mode 0600) \
            when the file does not exist. Give each research project its own key, and keep it \
            away from the researchers if their exports must not be joined to one another. The \
            store's own pseudonym key is refused.
            """)

    @Option(name: .long, help: ArgumentHelp("The backup to read (a file dcrctl backup wrote).", valueName: "file"))
    var store: String
    @Option(name: .long, help: ArgumentHelp("First local date, YYYY-MM-DD.", valueName: "date"))
    var from: String
    @Option(name: .long, help: ArgumentHelp("Last local date, YYYY-MM-DD (inclusive).", valueName: "date"))
    var to: String
    @Option(name: .long, help: ArgumentHelp("csv or jsonl.", valueName: "format"))
    var format: String = "csv"
    @Option(name: .customLong("export-key"), help: ArgumentHelp("The export key file (created when absent).", valueName: "file"))
    var exportKey: String
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("The file to write.", valueName: "file"))
    var output: String

    func validate() throws {
        guard LocalDate(parsing: from) != nil else { throw ValidationError("--from \(from): expected a date YYYY-MM-DD") }
        guard LocalDate(parsing: to) != nil else { throw ValidationError("--to \(to): expected a date YYYY-MM-DD") }
        guard StoreExport.Format(rawValue: format) != nil else { throw ValidationError("--format \(format): expected csv or jsonl") }
        guard access(store, R_OK) == 0 else { throw ValidationError("--store \(store): cannot read it (\(String(cString: strerror(errno))))") }
    }

    func run() throws {
        do {
            let key = try Pseudonymizer.fromKeyFile(at: exportKey)
            let rows = try StoreExport.export(storeFile: store, from: LocalDate(parsing: from)!, to: LocalDate(parsing: to)!,
                                              format: StoreExport.Format(rawValue: format)!, key: key, output: output)
            print("exported \(grouped(rows)) events (\(from) to \(to)) to \(output), pseudonyms re-keyed under \(exportKey)")
        } catch let error as KeyError {
            fail("\(error)")
            throw Exit.dataError
        } catch let error as ExportError {
            fail("\(error)")
            throw Exit.dataError
        } catch {
            fail("cannot export from \(store): it is not a readable dcr backup")
            throw Exit.dataError
        }
    }
}
