import DCRSystemd
import Foundation
import Glibc
import Testing

extension ProcessEnvironmentTests {
    @Suite("What systemd tells through the environment: journal stream, credentials")
    struct EnvironmentDetectionTests {
        @Test("JOURNAL_STREAM counts only when it names the descriptor itself")
        func journalStream() async throws {
            var ends: [Int32] = [0, 0]
            try #require(pipe(&ends) == 0)
            defer { close(ends[0]); close(ends[1]) }
            var info = stat()
            try #require(fstat(ends[1], &info) == 0)
            await EnvironmentOverride.with(["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino)"]) {
                #expect(LogSink.detectFormat(of: ends[1]) == .journal)
            }
            await EnvironmentOverride.with(["JOURNAL_STREAM": "\(info.st_dev):\(info.st_ino + 1)"]) {
                #expect(LogSink.detectFormat(of: ends[1]) == .priorityPrefix, "redirected elsewhere")
            }
            await EnvironmentOverride.with(["JOURNAL_STREAM": nil]) {
                #expect(LogSink.detectFormat(of: ends[1]) == .priorityPrefix)
            }
        }

        @Test("credentials come from $CREDENTIALS_DIRECTORY, by plain name only")
        func credentials() async throws {
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("dcr-credentials-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let key = directory.appendingPathComponent("dcr-pseudonym-key")
            try Data([1, 2, 3]).write(to: key)
            await EnvironmentOverride.with(["CREDENTIALS_DIRECTORY": directory.path]) {
                let credentials = SystemdCredentials.fromEnvironment()
                #expect(credentials.directory == directory.path)
                #expect(credentials.path(of: "dcr-pseudonym-key") == key.path)
                #expect(credentials.path(of: "missing") == nil)
                #expect(credentials.path(of: "../dcr-pseudonym-key") == nil)
            }
            await EnvironmentOverride.with(["CREDENTIALS_DIRECTORY": nil]) {
                #expect(SystemdCredentials.fromEnvironment().path(of: "dcr-pseudonym-key") == nil)
            }
        }
    }
}
