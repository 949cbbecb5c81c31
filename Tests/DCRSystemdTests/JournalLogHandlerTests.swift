@testable import DCRSystemd
import Glibc
import Logging
import Synchronization
import Testing

@Suite("JournalLogHandler: lines journald and people can read")
struct JournalLogHandlerTests {
    final class Lines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    func logger(_ label: String = "dcrd", level: LogLevelSwitch = LogLevelSwitch(.info),
                format: LogSink.Format = .priorityPrefix, into lines: Lines) -> Logger {
        let sink = LogSink(format: format) { lines.append($0) }
        return Logger(label: label) { label in
            JournalLogHandler(label: label, levelSwitch: level, sink: sink)
        }
    }

    @Test("stderr that is not a terminal: sd-daemon priority prefixes, one line per event")
    func priorityPrefixes() {
        let lines = Lines()
        var log = logger(level: LogLevelSwitch(.trace), into: lines)
        log.trace("t")
        log.debug("d")
        log.info("i")
        log.notice("n")
        log.warning("w")
        log.error("e")
        log.critical("c")
        #expect(lines.all == ["<7>t\n", "<7>d\n", "<6>i\n", "<5>n\n", "<4>w\n", "<3>e\n", "<2>c\n"])

        log[metadataKey: "site"] = "H17"
        log.error("commit failed", metadata: ["reason": "disk full", "batch": "12"])
        #expect(lines.all.last == "<3>commit failed batch=12 reason=\"disk full\" site=H17\n")

        log.warning("two\nlines")
        #expect(lines.all.last == "<4>two\\nlines site=H17\n", "one event stays one journal entry")

        let store = logger("dcrd.store", into: lines)
        store.info("replayed")
        #expect(lines.all.last == "<6>dcrd.store: replayed\n")
    }

    @Test("a reload's new level reaches loggers that already exist; an explicit level wins")
    func sharedLevel() {
        let lines = Lines()
        let level = LogLevelSwitch(.info)
        let log = logger(level: level, into: lines)
        var quiet = logger(level: level, into: lines)
        quiet.logLevel = .error
        log.debug("hidden")
        level.level = .debug
        log.debug("shown")
        quiet.debug("still hidden")
        #expect(lines.all == ["<7>shown\n"])
    }

    @Test("a terminal: readable UTC lines")
    func readable() {
        #expect(JournalLogHandler.readableLine(text: "ready sites=2", level: .info, label: "dcrd",
                                               epochSeconds: 1_795_428_000)
                == "2026-11-23T10:00:00Z info dcrd: ready sites=2\n")
        #expect(JournalLogHandler.timestamp(epochSeconds: 951_868_799) == "2000-02-29T23:59:59Z")
        let lines = Lines()
        logger(format: .readable, into: lines).notice("hello")
        let line = lines.all.first ?? ""
        #expect(line.hasSuffix("Z notice dcrd: hello\n"))
        #expect(line.count == "2026-11-23T10:00:00Z notice dcrd: hello\n".count)
    }

    @Test("journal fields: message, priority, identifier, and metadata as DCR_ fields")
    func journalFields() {
        let fields = JournalLogHandler.journalFields(
            text: "booth taken booth=3", level: .warning, identifier: "dcrd", label: "dcrd.server",
            metadata: ["booth": "3", "client-code": "x\ny"])
        #expect(fields == [
            "MESSAGE=booth taken booth=3", "PRIORITY=4", "SYSLOG_IDENTIFIER=dcrd", "DCR_LOGGER=dcrd.server",
            "DCR_BOOTH=3", "DCR_CLIENT_CODE=x\ny",
        ])
        #expect(JournalLogHandler.journalFieldName("site.code ø") == "DCR_SITE_CODE__")
        #expect(JournalLogHandler.journalFieldName(String(repeating: "k", count: 100)).utf8.count == 64)
    }

    @Test("concurrent loggers never interleave within a line (one write(2) per line)")
    func concurrentWrites() async throws {
        let path = "/tmp/dcr-log-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        try #require(fd >= 0)
        defer { unlink(path) }
        let sink = LogSink.fileDescriptor(fd, format: .priorityPrefix)
        let level = LogLevelSwitch(.info)
        await withTaskGroup(of: Void.self) { group in
            for writer in 0..<8 {
                group.addTask {
                    let log = Logger(label: "w\(writer)") { JournalLogHandler(label: $0, levelSwitch: level, sink: sink) }
                    for index in 0..<200 {
                        log.info("message \(index) \(String(repeating: "x", count: 100))")
                    }
                }
            }
        }
        close(fd)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.count == 1600)
        #expect(lines.allSatisfy { $0.wholeMatch(of: /<6>w[0-7]: message \d+ x{100}/) != nil })
    }
}
