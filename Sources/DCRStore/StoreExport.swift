import DCRModel
import Foundation
import GRDB

/// `dcrctl export`: the events of a period from a backup, for researchers, as CSV or JSON lines,
/// with every pseudonym re-keyed under a separate export key.
///
/// The file must not be joinable to the live store: pseudonyms are re-keyed
/// (`Pseudonymizer.rekeyed`), and the event id, the storage sequence and the exact
/// millisecond timestamps (which the store also holds) are left out; the local date and hour
/// are kept. Rows are sorted by date, hour, kind, site and pseudonym, not storage order.
/// Reads a backup (a copy), never the live store, as the README asks of every analysis.
public enum StoreExport {
    public enum Format: String, CaseIterable, Sendable {
        case csv, jsonl
    }

    /// The exported columns, in order: the store's own names and numbers (StoreSchema).
    public static let columns = [
        "kind", "site", "local_date", "local_hour", "booth", "client", "gender", "age", "municipality",
        "substance", "route", "incident_kind", "victim_gender", "victim_role", "overdose_response",
        "referral_target",
    ]

    /// Writes the events dated `from`…`to` (local dates, inclusive) of `storeFile` to `output`
    /// (a temporary file renamed into place, mode 0600); returns how many rows it wrote.
    public static func export(storeFile: String, from: LocalDate, to: LocalDate, format: Format,
                              key: Pseudonymizer, output: String) throws -> Int {
        var configuration = Configuration()
        configuration.label = "dcr.export"
        configuration.readonly = true
        let store = try DatabaseQueue(path: storeFile, configuration: configuration)
        defer { try? store.close() }
        let storeKey = try store.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'key_fingerprint'")
        }
        if storeKey == key.fingerprint {
            throw ExportError("the export key is the store's own pseudonym key; give a separate export key (a new file is created)")
        }
        let temporary = output + ".partial-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ExportError("cannot create \(temporary): \(EventStore.errnoText())") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            var count = 0
            var buffer = ""
            if format == .csv { buffer += columns.joined(separator: ",") + "\n" }
            try store.read { db in
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT \(columns.joined(separator: ", ")) FROM events
                    WHERE local_date BETWEEN ? AND ?
                    ORDER BY local_date, local_hour, kind, site, client
                    """, arguments: [from.description, to.description])
                while let row = try rows.next() {
                    var values: [String?] = []
                    for (i, name) in columns.enumerated() {
                        if name == "client" {
                            values.append((row[i] as String?).map { key.rekeyed(Pseudonym(text: $0)).text })
                        } else if name == "site" || name == "local_date" {
                            values.append(row[i] as String?)
                        } else {
                            values.append((row[i] as Int64?).map(String.init))
                        }
                    }
                    buffer += format == .csv ? csvLine(values) : jsonLine(values)
                    count += 1
                    if buffer.utf8.count > 1 << 16 {
                        try handle.write(contentsOf: Data(buffer.utf8))
                        buffer = ""
                    }
                }
            }
            try handle.write(contentsOf: Data(buffer.utf8))
            try handle.synchronize()
            try handle.close()
            guard rename(temporary, output) == 0 else { throw ExportError("cannot rename to \(output): \(EventStore.errnoText())") }
            return count
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// Empty for NULL; site codes and dates need no quoting (A-Z, 0-9, - and _).
    static func csvLine(_ values: [String?]) -> String {
        values.map { $0 ?? "" }.joined(separator: ",") + "\n"
    }

    static func jsonLine(_ values: [String?]) -> String {
        let fields = zip(columns, values).compactMap { name, value -> String? in
            guard let value else { return nil }
            let quoted = ["site", "local_date", "client"].contains(name)
            return "\"\(name)\":" + (quoted ? "\"\(value)\"" : value)
        }
        return "{" + fields.joined(separator: ",") + "}\n"
    }
}
