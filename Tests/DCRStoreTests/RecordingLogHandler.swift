import Logging
import Synchronization

/// Keeps every log line (message and metadata rendered as text) so tests can assert what was
/// logged, how often, and that no client code ever appears.
final class LogRecorder: Sendable {
    private let lines = Mutex<[String]>([])

    var all: [String] { lines.withLock { $0 } }

    func append(_ line: String) { lines.withLock { $0.append(line) } }

    func count(containing text: String) -> Int { all.filter { $0.contains(text) }.count }

    func logger() -> Logger {
        Logger(label: "test.store") { _ in RecordingLogHandler(recorder: self) }
    }
}

struct RecordingLogHandler: LogHandler {
    let recorder: LogRecorder
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let meta = metadata.merging(event.metadata ?? [:]) { _, b in b }
        recorder.append("\(event.level) \(event.message) \(meta)")
    }
}
