/// An enumeration carried on the wire as a protobuf enum number.
///
/// Terminals may be newer than the daemon: a number this build does not know becomes the
/// type's `fallback` ("other") rather than an error, and the caller learns it was unknown so it
/// can be counted.
public protocol RegisteredValue: CaseIterable, Hashable, Sendable, Comparable, RawRepresentable<Int32> {
    var wireValue: Int32 { get }
    /// Stable, lower-case label used in reports, JSON and CLI flags; never changes meaning.
    var label: String { get }
    /// What an unknown wire number becomes.
    static var fallback: Self { get }
}

extension RegisteredValue {
    /// A direct raw-value lookup: this runs for every enum field of every decoded event.
    /// Inlinable, so the decoder's calls are specialised per enum: called generically it looked
    /// up the type metadata of its result tuple at run time, a few per event.
    @inlinable
    public static func fromWire(_ number: Int32) -> (value: Self, known: Bool) {
        if let v = Self(rawValue: number) { return (v, true) }
        return (fallback, false)
    }

    public init?(label: String) {
        let wanted = label.lowercased().replacingOccurrences(of: "_", with: "-")
        guard let v = Self.allCases.first(where: { $0.label == wanted }) else { return nil }
        self = v
    }

    public static var labels: [String] { allCases.map(\.label) }

    public static func < (a: Self, b: Self) -> Bool { a.wireValue < b.wireValue }
}
