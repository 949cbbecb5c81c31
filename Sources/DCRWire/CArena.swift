import CProtobufC
#if canImport(Glibc)
import Glibc
#endif

/// Owns every C allocation made while building a message to pack, and frees them all at once.
///
/// Building a protobuf-c message means pointers to strings, submessages and arrays; tying their
/// lifetime to one arena keeps the encoder free of manual `free` calls and of leaks on any path.
final class CArena {
    private var blocks: [UnsafeMutableRawPointer] = []

    deinit { for b in blocks { free(b) } }

    private func raw(_ bytes: Int) -> UnsafeMutableRawPointer {
        guard let p = calloc(1, max(bytes, 1)) else { fatalError("out of memory") }
        blocks.append(p)
        return p
    }

    /// A zeroed `T`, passed to `initialize` (the protobuf-c `__init` function) before use.
    func make<T>(_ type: T.Type, _ initialize: (UnsafeMutablePointer<T>) -> Void) -> UnsafeMutablePointer<T> {
        let p = raw(MemoryLayout<T>.stride).bindMemory(to: T.self, capacity: 1)
        initialize(p)
        return p
    }

    func string(_ s: String) -> UnsafeMutablePointer<CChar> {
        let utf8 = Array(s.utf8)
        let p = raw(utf8.count + 1).bindMemory(to: CChar.self, capacity: utf8.count + 1)
        for (i, b) in utf8.enumerated() { p[i] = CChar(bitPattern: b) }
        p[utf8.count] = 0
        return p
    }

    func values<T>(_ items: [T]) -> UnsafeMutablePointer<T> {
        let p = raw(MemoryLayout<T>.stride * items.count).bindMemory(to: T.self, capacity: max(items.count, 1))
        for (i, v) in items.enumerated() { (p + i).initialize(to: v) }
        return p
    }

    func pointers<T>(_ items: [UnsafeMutablePointer<T>]) -> UnsafeMutablePointer<UnsafeMutablePointer<T>?> {
        values(items.map { Optional($0) })
    }

    func strings(_ items: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        values(items.map { Optional(string($0)) })
    }

    func binary(_ bytes: [UInt8]) -> ProtobufCBinaryData {
        ProtobufCBinaryData(len: bytes.count, data: values(bytes))
    }
}
