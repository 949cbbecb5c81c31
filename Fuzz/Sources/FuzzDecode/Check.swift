/// An invariant of the target: on failure libFuzzer records the input as a crash (the trap).
@inline(__always)
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition { fail(message()) }
}

func fail(_ message: String) -> Never {
    fatalError("fuzz invariant: \(message)")
}
