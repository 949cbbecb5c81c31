import CSystemd
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A swift-log handler that speaks journald's language wherever the daemon runs: native journal
/// entries with structured fields under systemd (so `journalctl -p err` and
/// `journalctl DCR_SITE=H17` work), `<n>` priority prefixes on a plain pipe, and readable lines
/// on a terminal.
///
/// Bootstrap it once at start:
/// ```
/// let level = LogLevelSwitch(.info)
/// LoggingSystem.bootstrap(JournalLogHandler.factory(level: level))
/// ```
public struct JournalLogHandler: LogHandler {
    public let label: String
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    private let identifier: String
    private let sink: LogSink
    private let levelSwitch: LogLevelSwitch
    private var levelOverride: Logger.Level?

    /// - Parameters:
    ///   - levelSwitch: the shared level; setting `logLevel` on one logger overrides it for that
    ///     logger only, as swift-log requires.
    ///   - identifier: `SYSLOG_IDENTIFIER=`, what `journalctl -t` selects on.
    public init(label: String, levelSwitch: LogLevelSwitch, identifier: String = "dcrd",
                sink: LogSink = .standardError, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.levelSwitch = levelSwitch
        self.identifier = identifier
        self.sink = sink
        self.metadataProvider = metadataProvider
    }

    /// A handler factory for `LoggingSystem.bootstrap`, with one level shared by every logger.
    public static func factory(level: LogLevelSwitch, identifier: String = "dcrd",
                               sink: LogSink = .standardError) -> @Sendable (String) -> any LogHandler {
        { label in JournalLogHandler(label: label, levelSwitch: level, identifier: identifier, sink: sink) }
    }

    public var logLevel: Logger.Level {
        get { levelOverride ?? levelSwitch.level }
        set { levelOverride = newValue }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        if let error = event.error { merged["error"] = .string("\(error)") }
        let text = Self.text(message: event.message.description, metadata: merged)

        switch sink.format {
        case .journal:
            let fields = Self.journalFields(text: text, level: event.level, identifier: identifier,
                                            label: label, metadata: merged)
            if Self.sendToJournal(fields, file: event.file, line: event.line, function: event.function) {
                return
            }
            sink.writeLine(Self.prefixedLine(text: text, level: event.level, label: label, identifier: identifier))
        case .priorityPrefix:
            sink.writeLine(Self.prefixedLine(text: text, level: event.level, label: label, identifier: identifier))
        case .readable:
            sink.writeLine(Self.readableLine(text: text, level: event.level, label: label,
                                             epochSeconds: Int64(time(nil))))
        }
    }

    // MARK: - Formatting (internal for tests)

    /// "message key=value …", keys sorted so that equal events give equal lines.
    static func text(message: String, metadata: Logger.Metadata) -> String {
        var text = message
        for key in metadata.keys.sorted() {
            text += " \(key)=\(quoted("\(metadata[key]!)"))"
        }
        return text
    }

    /// `<6>message`, one line: embedded newlines are escaped, since each line on a journal
    /// stream becomes an entry of its own. The label is shown when it says more than the
    /// identifier journald already records.
    static func prefixedLine(text: String, level: Logger.Level, label: String, identifier: String) -> String {
        let origin = label == identifier ? "" : "\(label): "
        return "<\(level.syslogPriority)>\(origin)\(escapedNewlines(text))\n"
    }

    /// `2026-11-23T10:00:00Z info dcrd: message key=value`, UTC so that lines from machines in
    /// different zones (or around a DST change) compare.
    static func readableLine(text: String, level: Logger.Level, label: String, epochSeconds: Int64) -> String {
        "\(timestamp(epochSeconds: epochSeconds)) \(level.rawValue) \(label): \(escapedNewlines(text))\n"
    }

    static func journalFields(text: String, level: Logger.Level, identifier: String, label: String,
                              metadata: Logger.Metadata) -> [String] {
        var fields = [
            "MESSAGE=\(text)",
            "PRIORITY=\(level.syslogPriority)",
            "SYSLOG_IDENTIFIER=\(identifier)",
            "DCR_LOGGER=\(label)",
        ]
        for key in metadata.keys.sorted() {
            fields.append("\(journalFieldName(key))=\(metadata[key]!)")
        }
        return fields
    }

    /// Journal field names are upper-case letters, digits and underscores, at most 64 bytes,
    /// and must not start with an underscore (those are trusted fields set by journald).
    static func journalFieldName(_ key: String) -> String {
        let body = key.uppercased().unicodeScalars.map { scalar -> Character in
            ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
        }
        return String(("DCR_" + String(body)).prefix(64))
    }

    static func timestamp(epochSeconds: Int64) -> String {
        var seconds = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))"
            + "T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
    }

    private static func quoted(_ value: String) -> String {
        let plain = !value.isEmpty && !value.unicodeScalars.contains { $0 == " " || $0 == "\"" || $0 == "=" || $0.value < 0x20 }
        if plain { return value }
        return "\"" + value.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"") + "\""
    }

    private static func escapedNewlines(_ text: String) -> String {
        text.replacingAll("\r", with: "\\r").replacingAll("\n", with: "\\n")
    }

    /// One datagram with all fields; values may contain newlines (the native protocol carries
    /// them). Returns false when journald cannot be reached, so that the line is not lost.
    private static func sendToJournal(_ fields: [String], file: String, line: UInt, function: String) -> Bool {
        var buffer: [UInt8] = []
        var ranges: [Range<Int>] = []
        for field in fields {
            let start = buffer.count
            buffer.append(contentsOf: field.utf8)
            ranges.append(start..<buffer.count)
        }
        return buffer.withUnsafeMutableBytes { bytes in
            let iovecs = ranges.map { range in
                iovec(iov_base: bytes.baseAddress! + range.lowerBound, iov_len: range.count)
            }
            return iovecs.withUnsafeBufferPointer { vector in
                sd_journal_sendv_with_location("CODE_FILE=\(file)", "CODE_LINE=\(line)", function,
                                               vector.baseAddress, Int32(vector.count)) == 0
            }
        }
    }
}

private extension String {
    /// Scalar-wise, so that "\r\n" (one Character) is still seen as two control characters.
    func replacingAll(_ target: Unicode.Scalar, with replacement: String) -> String {
        var result = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            if scalar == target { result.append(contentsOf: replacement.unicodeScalars) } else { result.append(scalar) }
        }
        return String(result)
    }
}
