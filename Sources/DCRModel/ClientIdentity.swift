/// A client code exactly as a terminal sent it.
///
/// It exists only between decoding a request and pseudonymising it. Its descriptions are
/// redacted so that string interpolation into a log line or error can never leak it.
public struct ClientCode: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The raw code. Read it only to pseudonymise it.
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { "<client code>" }
    public var debugDescription: String { "<client code>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}

/// The keyed hash of a client code: what the daemon stores and counts with. Without the key it
/// cannot be turned back into a code, even by trying every possible code.
public struct Pseudonym: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Lower-case hex text, stable across restarts for the same key and code.
    public let text: String

    public init(text: String) { self.text = text }

    public var description: String { text }
    public static func < (a: Pseudonym, b: Pseudonym) -> Bool { a.text < b.text }
}

/// A client as an event refers to it: raw straight off the wire, pseudonymous everywhere else.
public enum ClientRef: Sendable, Hashable, CustomStringConvertible {
    case code(ClientCode)
    case pseudonym(Pseudonym)

    public var pseudonym: Pseudonym? {
        if case .pseudonym(let p) = self { return p }
        return nil
    }

    public var description: String {
        switch self {
        case .code: "<client code>"
        case .pseudonym(let p): p.text
        }
    }
}
