import DCRConsole
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The controlling terminal in raw mode on the alternate screen, given back exactly as found.
///
/// `restore()` is idempotent and runs on every way out of `dcrctl top`: the caller's `defer`,
/// and `deinit` as a last resort. Signals never run code here: they arrive as events through a
/// DispatchSource (see `SignalEvents`), so restoring happens on the normal path, not in a handler.
final class RawTerminal {
    private var original = termios()
    private var restored = false
    let input: Int32 = 0
    let output: Int32 = 1

    init() throws {
        guard tcgetattr(input, &original) == 0 else {
            fail("cannot read the terminal's settings: \(String(cString: strerror(errno)))")
            throw Exit.usage
        }
        var raw = original
        // No line editing, echo, signal keys or flow control: every key comes to us as a byte.
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        raw.c_iflag &= ~tcflag_t(IXON | ICRNL | INLCR | BRKINT | ISTRIP)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(input, TCSAFLUSH, &raw) == 0 else {
            fail("cannot put the terminal in raw mode: \(String(cString: strerror(errno)))")
            throw Exit.usage
        }
        write(Frame.enter)
    }

    /// Leaves the alternate screen, shows the cursor and puts back the settings found at start.
    func restore() {
        guard !restored else { return }
        restored = true
        write(Frame.leave)
        _ = tcsetattr(input, TCSAFLUSH, &original)
    }

    deinit { restore() }

    /// The window's size now (TIOCGWINSZ), or 80×24 when the terminal does not say.
    func size() -> TerminalSize {
        var ws = winsize()
        guard ioctl(output, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 else { return .fallback }
        return TerminalSize(columns: Int(ws.ws_col), rows: Int(ws.ws_row))
    }

    func write(_ text: String) {
        var bytes = Array(text.utf8)
        bytes.withUnsafeMutableBytes { buf in
            var off = 0
            while off < buf.count {
                let n = Glibc.write(output, buf.baseAddress! + off, buf.count - off)
                if n < 0 { if errno == EINTR || errno == EAGAIN { continue } else { return } }
                off += n
            }
        }
    }
}

/// Keys and signals as values on one stream, so that the view's loop is the only place that
/// acts on them.
final class TerminalEvents {
    enum Event: Sendable {
        case keys([UInt8])
        case signal(Int32)
        /// The terminal went away (read returned end of file or an error).
        case hangup
    }

    private let sources: [any DispatchSourceProtocol]

    /// `signals` are ignored by the process (so their default action does not kill it) and
    /// reported through DispatchSources instead; SIGWINCH's default is to do nothing anyway.
    init(signals: [Int32], yield: @escaping @Sendable (Event) -> Void) {
        let queue = DispatchQueue(label: "dcrctl.top.terminal")
        var sources: [any DispatchSourceProtocol] = []
        for sig in signals {
            signal(sig, SIG_IGN)
            let s = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            s.setEventHandler { yield(.signal(sig)) }
            s.resume()
            sources.append(s)
        }
        let reader = DispatchSource.makeReadSource(fileDescriptor: 0, queue: queue)
        reader.setEventHandler { [reader] in
            var buf = [UInt8](repeating: 0, count: 64)
            let n = read(0, &buf, buf.count)
            if n > 0 {
                yield(.keys(Array(buf[0..<n])))
            } else if n == 0 || (errno != EINTR && errno != EAGAIN) {
                reader.cancel()
                yield(.hangup)
            }
        }
        reader.resume()
        sources.append(reader)
        self.sources = sources
    }

    func cancel() {
        for s in sources { s.cancel() }
    }
}

/// The daemon's clock as a local time of day, "10:02:13" (the client's time zone).
func localTimeOfDay(ms: Int64) -> String {
    var t = time_t(ms / 1000)
    var parts = tm()
    guard localtime_r(&t, &parts) != nil else { return "?" }
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))"
}

/// An environment variable, without Foundation.
func environment(_ name: String) -> String? {
    getenv(name).map { String(cString: $0) }
}

/// Pushes buffered standard output now: a line in a pipe should not wait for the next one.
func fflushStdout() { fflush(nil) }
