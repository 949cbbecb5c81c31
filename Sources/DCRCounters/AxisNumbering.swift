import DCRModel

/// A dense numbering of some of a report's axes (in `group_by` order, first most significant):
/// the index of a smaller table, computed per day and per record, and translatable into the
/// numbering of a larger set of axes (ultimately the report's group index).
struct AxisNumbering: Sendable {
    struct Part: Sendable {
        let dimension: Dimension
        let cardinality: Int
        let stride: Int
    }

    let parts: [Part]
    let size: Int
    /// Calendar parts' per-day values with their strides; read once per day.
    private let dayParts: [(values: [Int], stride: Int)]
    /// Record parts; read per record, so plain values without references.
    let recordParts: [Part]

    init(_ axes: [ReportAxis]) {
        var parts: [Part] = []
        var size = 1
        for axis in axes.reversed() {
            parts.insert(Part(dimension: axis.dimension, cardinality: axis.cardinality, stride: size), at: 0)
            size *= axis.cardinality
        }
        self.parts = parts
        self.size = size
        dayParts = zip(axes, parts).filter { $0.0.dimension.isCalendar }.map { ($0.0.dayValues, $0.1.stride) }
        recordParts = parts.filter { !$0.dimension.isCalendar }
    }

    func dayIndex(_ dayOffset: Int) -> Int {
        var i = 0
        for p in dayParts { i += p.values[dayOffset] * p.stride }
        return i
    }

    /// How to translate an index of this numbering into `target`'s: per part, its stride and
    /// cardinality here and its stride there.
    func translation(into target: AxisNumbering) -> [(stride: Int, cardinality: Int, targetStride: Int)] {
        parts.map { p in
            (p.stride, p.cardinality, target.parts.first { $0.dimension == p.dimension }!.stride)
        }
    }

    static func translate(_ index: Int, _ translation: [(stride: Int, cardinality: Int, targetStride: Int)]) -> Int {
        var out = 0
        for t in translation { out += index / t.stride % t.cardinality * t.targetStride }
        return out
    }
}

extension EventRecord {
    @inline(__always)
    func index(_ parts: [AxisNumbering.Part]) -> Int {
        var i = 0
        for p in parts { i += value(p.dimension) * p.stride }
        return i
    }
}
