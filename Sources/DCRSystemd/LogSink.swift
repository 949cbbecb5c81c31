#if canImport(Glibc)
import Glibc
#endif

/// Where log lines go and in which form. Detected once from the process's stderr, or injected by
/// tests, which capture lines instead of writing them.
public struct LogSink: Sendable {
    public enum Format: Sendable, Equatable {
        /// stderr is connected to journald (`JOURNAL_STREAM`): send native journal entries with
        /// structured fields; lines go to `writeLine` only if the journal socket refuses them.
        case journal
        /// stderr is a pipe or file read by a supervisor: `<6>message key=value`, the sd-daemon(3)
        /// prefixes that journald and many log collectors turn into priorities.
        case priorityPrefix
        /// stderr is a terminal: `2026-11-23T10:00:00Z info dcrd: message key=value`.
        case readable
    }

    public let format: Format
    let writeLine: @Sendable (String) -> Void

    /// - Parameter writeLine: receives one complete line, newline included, per log event.
    public init(format: Format, writeLine: @escaping @Sendable (String) -> Void) {
        self.format = format
        self.writeLine = writeLine
    }

    /// stderr, in the format its kind calls for (decided once per process).
    public static let standardError: LogSink = fileDescriptor(STDERR_FILENO, format: detectFormat(of: STDERR_FILENO))

    /// Writes each line with a single write(2), so that lines from different threads never
    /// interleave (stderr is unbuffered and shared).
    public static func fileDescriptor(_ fd: Int32, format: Format) -> LogSink {
        LogSink(format: format) { line in
            var bytes = Array(line.utf8)
            bytes.withUnsafeMutableBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return  // nowhere left to complain to
                    }
                }
            }
        }
    }

    /// journald sets `JOURNAL_STREAM=dev:ino` for the stream it connects to stdout/stderr; it
    /// counts only if stderr is still that stream (not redirected by a wrapper script).
    public static func detectFormat(of fd: Int32) -> Format {
        if let stream = getenv("JOURNAL_STREAM") {
            var info = stat()
            if fstat(fd, &info) == 0, String(cString: stream) == "\(info.st_dev):\(info.st_ino)" {
                return .journal
            }
        }
        return isatty(fd) == 1 ? .readable : .priorityPrefix
    }
}
