/// What a piece of text looks like. With colour off every style renders as plain text, so a
/// screen never depends on colour to be read (NO_COLOR, pipes, dumb terminals).
public enum Style: Sendable, Hashable {
    case plain, bold, dim, green, yellow, red, alert, reverse

    var sgr: String {
        switch self {
        case .plain: ""
        case .bold: "\u{1B}[1m"
        case .dim: "\u{1B}[2m"
        case .green: "\u{1B}[32m"
        case .yellow: "\u{1B}[33m"
        case .red: "\u{1B}[31m"
        case .alert: "\u{1B}[1;37;41m"
        case .reverse: "\u{1B}[7m"
        }
    }
}

/// A run of text in one style. Every character dcr draws is one column wide.
public struct Span: Sendable, Hashable {
    public var text: String
    public var style: Style
    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// One row of the screen.
public struct Line: Sendable, Hashable, ExpressibleByStringLiteral {
    public var spans: [Span]

    public init(_ spans: [Span] = []) { self.spans = spans }
    public init(stringLiteral value: String) { spans = [Span(value)] }
    public init(_ text: String, _ style: Style = .plain) { spans = [Span(text, style)] }

    public var text: String { spans.map(\.text).joined() }
    public var width: Int { spans.reduce(0) { $0 + $1.text.count } }

    public static func + (a: Line, b: Line) -> Line { Line(a.spans + b.spans) }

    public mutating func append(_ text: String, _ style: Style = .plain) { spans.append(Span(text, style)) }

    /// Cut to `columns`, then pad with spaces (in the last span's style) to exactly `columns`.
    public func fitted(to columns: Int) -> Line {
        var out: [Span] = []
        var left = max(0, columns)
        for s in spans where left > 0 {
            if s.text.count <= left {
                out.append(s)
                left -= s.text.count
            } else {
                out.append(Span(String(s.text.prefix(left)), s.style))
                left = 0
            }
        }
        if left > 0 { out.append(Span(String(repeating: " ", count: left), out.last?.style == .reverse ? .reverse : .plain)) }
        return Line(out)
    }
}

/// The terminal's size in character cells.
public struct TerminalSize: Sendable, Hashable {
    public var columns: Int
    public var rows: Int
    public init(columns: Int, rows: Int) {
        self.columns = columns
        self.rows = rows
    }
    public static let fallback = TerminalSize(columns: 80, rows: 24)
}

/// Turns a screen of lines into the bytes that draw it: each row positioned absolutely and padded
/// to the full width, so nothing scrolls and no old text survives; SGR codes only with colour on.
public enum Frame {
    public static func render(_ lines: [Line], size: TerminalSize, colour: Bool) -> String {
        var out = "\u{1B}[?25l"
        for row in 0..<size.rows {
            let line = (row < lines.count ? lines[row] : Line()).fitted(to: size.columns)
            out += "\u{1B}[\(row + 1);1H"
            for s in line.spans {
                if colour && s.style != .plain { out += s.style.sgr + s.text + "\u{1B}[0m" } else { out += s.text }
            }
        }
        return out
    }

    /// The same screen as plain text, one row a line (what a test or a log would show).
    public static func plain(_ lines: [Line], size: TerminalSize) -> String {
        (0..<size.rows).map { row in (row < lines.count ? lines[row] : Line()).fitted(to: size.columns).text.trimmedRight() }
            .joined(separator: "\n")
    }

    /// Entering and leaving the full-screen view: the alternate screen, cursor hidden, and back.
    public static let enter = "\u{1B}[?1049h\u{1B}[H\u{1B}[2J\u{1B}[?25l"
    public static let leave = "\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l"
}

/// Whether to use colour: only on a terminal, never when NO_COLOR is set to a non-empty value
/// (https://no-color.org), never on TERM=dumb.
public func colourWanted(isTerminal: Bool, environment: [String: String]) -> Bool {
    guard isTerminal else { return false }
    if let v = environment["NO_COLOR"], !v.isEmpty { return false }
    if environment["TERM"] == "dumb" { return false }
    return true
}

extension String {
    func trimmedRight() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
