/// A room the daemon counts for: its code as terminals send it and how many booths it has.
public struct Site: Sendable, Hashable, Codable {
    public var code: String
    public var capacity: UInt32

    public init(code: String, capacity: UInt32) {
        self.code = code
        self.capacity = capacity
    }

    /// Copenhagen's rooms as the documents describe them; the daemon's embedded default.
    public static let defaults: [Site] = [
        Site(code: "H17", capacity: 12),
        Site(code: "SKYEN", capacity: 6),
        Site(code: "MOBILE", capacity: 2),
    ]

    /// Site codes are short, upper-case, printable: they appear in tables and log lines.
    public static func isValidCode(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 16
            && code.unicodeScalars.allSatisfy { ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "-" || $0 == "_" }
    }
}
