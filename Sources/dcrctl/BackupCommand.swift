import ArgumentParser
import DCRClient
import DCRModel
import DCRWire
import Foundation

struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Make dcrd write a verified copy of its event store while ingest goes on (role admin).",
        discussion: """
            dcrd itself writes the copy, as its own user, on its own host: FILE is resolved against \
            this directory and must not exist yet (a backup never replaces a file); under systemd its \
            directory must be writable by the service (ReadWritePaths=). The copy is one consistent \
            snapshot (every event acknowledged before the command is in it), written under a \
            temporary name, fsynced, checked with PRAGMA integrity_check and against the live \
            store's event count, and only then put under FILE: FILE is whole or absent, even if \
            dcrd is killed meanwhile. It never contains the pseudonym key.

            Restore with dcrd --restore FILE while dcrd is stopped (Deploy/README.md). For \
            backups on a schedule see backup-dir, backup-every and backup-keep in dcrd.conf.
            """)

    @OptionGroup var connection: ConnectionOptions
    @Option(name: .customLong("to"), help: ArgumentHelp("The file to write (must not exist).", valueName: "file"))
    var to: String
    @Flag(name: .long, help: "Print JSON ({\"version\": 1, …}).") var json = false

    func validate() throws {
        if to.isEmpty { throw ValidationError("--to needs a file name") }
    }

    func run() async throws {
        let path = to.hasPrefix("/") ? to : FileManager.default.currentDirectoryPath + "/" + to
        let c = try await connection.open(role: .admin)
        defer { Task { await c.close() } }
        let answer: Response
        do {
            answer = try await c.send(.backup(to: path))
        } catch let error as ClientError {
            // The daemon stopped or died mid-copy: FILE was never put in place (only a
            // temporary file in its directory, which the next scheduled backup removes).
            fail("\(error) before the backup was answered: \(path) was not written")
            throw exitStatus(for: error)
        }
        let r = try checked(answer)
        guard case .backup(let b) = r.body else { throw ExitCode(1) }
        if json {
            print(JSON.object([
                ("version", .int(1)), ("path", .string(b.path)), ("events", .uint(b.events)),
                ("last_sequence", .uint(b.lastSequence)), ("bytes", .uint(b.bytes)),
                ("finished_at_ms", .int(b.finishedAtMs)), ("duration_ms", .uint(b.durationMs)),
            ]).render())
        } else {
            print("backup written: \(b.path), \(grouped(b.events)) events up to sequence \(b.lastSequence), \(grouped(b.bytes)) bytes, checked, in \(b.durationMs) ms")
        }
    }
}
