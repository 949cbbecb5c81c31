import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 15, acceptance 5: `dcrctl export` re-keys pseudonyms under a separate export key, so an
/// exported file shares no value with the store and cannot be joined to it.
@Suite("Research export", .serialized)
struct ExportTests {
    @Test("an export's pseudonyms share no value with the store's; counts and distinct clients are kept")
    func rekeyed() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        var factory = EventFactory(seed: 51, now: BackupTests.earlierNowMs)
        try await daemon.sendAll((0..<600).map { factory.event($0) })
        let backup = daemon.directory.appendingPathComponent("for-export.sqlite").path
        #expect(try await daemon.dcrctl(["backup", "--to", backup]).status == 0)
        let day = BackupTests.earlierDay
        let storeClients = Set(try await ToolRun.sqlite3(backup, "SELECT DISTINCT client FROM events WHERE client IS NOT NULL")
            .split(separator: "\n").map(String.init))
        #expect(storeClients.count > 50)

        let key = daemon.directory.appendingPathComponent("project.key").path
        var exported: [String: Set<String>] = [:]
        for format in ["csv", "jsonl"] {
            let out = daemon.directory.appendingPathComponent("export.\(format)").path
            let r = try await DaemonProcess.runDcrctl(["export", "--store", backup, "--from", day, "--to", day,
                                                      "--format", format, "--export-key", key, "-o", out])
            #expect(r.status == 0, "\(r.stderr)")
            #expect(r.stdout.contains("exported 600 events"), "\(r.stdout)")
            let lines = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").map(String.init)
            var clients = Set<String>()
            if format == "csv" {
                #expect(lines.first?.hasPrefix("kind,site,local_date,local_hour,booth,client,") == true)
                #expect(lines.count == 601)
                for line in lines.dropFirst() {
                    let c = line.split(separator: ",", omittingEmptySubsequences: false)[5]
                    if !c.isEmpty { clients.insert(String(c)) }
                }
            } else {
                #expect(lines.count == 600)
                for line in lines {
                    let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                    #expect(o["event_id"] == nil && o["seq"] == nil && o["occurred_at_ms"] == nil)
                    if let c = o["client"] as? String { clients.insert(c) }
                }
            }
            exported[format] = clients
            #expect(clients.count == storeClients.count, "distinct clients survive re-keying")
            #expect(clients.isDisjoint(with: storeClients), "an exported pseudonym is also in the store")
            let text = try String(contentsOfFile: out, encoding: .utf8)
            #expect(!storeClients.contains { text.contains($0) }, "a store pseudonym appears in the \(format) export")
            var info = stat()
            #expect(stat(out, &info) == 0 && info.st_mode & 0o077 == 0, "the export is private")
        }
        #expect(exported["csv"] == exported["jsonl"], "one export key, one value per client")

        // The store's own key is refused as an export key.
        let own = try await DaemonProcess.runDcrctl(["export", "--store", backup, "--from", day, "--to", day,
                                                    "--export-key", daemon.keyPath, "-o", daemon.directory.appendingPathComponent("x.csv").path])
        #expect(own.status == 65 && own.stderr.contains("the export key is the store's own pseudonym key"), "\(own.stderr)")
        let bad = try await DaemonProcess.runDcrctl(["export", "--store", backup, "--from", "2026-13-01", "--to", day,
                                                    "--export-key", key, "-o", "/dev/null"])
        #expect(bad.status == 64 && bad.stderr.contains("--from 2026-13-01"), "\(bad.stderr)")
    }
}
