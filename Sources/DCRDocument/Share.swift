/// Whole-percent shares from exact counts, each rounded on its own (half up, in integers, so
/// that 5,439 of 6,534 is 83 % and not a floating-point accident). Parts are never adjusted to
/// force a sum of 100: a reader who adds them up sees the true rounded sum.
public enum Share {
    public static func percent(_ part: UInt64, of whole: UInt64) -> Int? {
        guard whole > 0 else { return nil }
        return Int((part * 200 + whole) / (whole * 2))
    }
}
