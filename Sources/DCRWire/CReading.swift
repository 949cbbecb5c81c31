import CProtobufC
import DCRModel

/// Reading values out of an unpacked protobuf-c message, checking what protobuf-c does not:
/// UTF-8, enum ranges (unknown numbers are counted and become "other").
struct CReading {
    /// Enum numbers this build did not know, for the daemon's counters.
    var unknownEnumValues = 0

    mutating func value<T: RegisteredValue>(_ raw: some BinaryInteger, as: T.Type = T.self) -> T {
        let (v, known) = T.fromWire(Int32(truncatingIfNeeded: raw))
        if !known { unknownEnumValues += 1 }
        return v
    }

    /// Nil pointer reads as "" (proto3's default); invalid UTF-8 is refused naming the field.
    func text(_ p: UnsafePointer<CChar>?, field: String) throws(StatusError) -> String {
        guard let p else { return "" }
        guard let s = String(validatingCString: p) else {
            throw StatusError(.invalidArgument, "\(field): not valid UTF-8")
        }
        return s
    }

    func bytes(_ b: ProtobufCBinaryData) -> [UInt8] {
        guard b.len > 0, let data = b.data else { return [] }
        return Array(UnsafeBufferPointer(start: data, count: b.len))
    }

    func eventID(_ b: ProtobufCBinaryData, field: String) throws(StatusError) -> EventID {
        let raw = bytes(b)
        guard let id = EventID(bytes: raw) else {
            throw StatusError(.invalidArgument, "\(field): \(raw.count) bytes; must be 16 (a UUID)")
        }
        return id
    }

    func list<T>(_ p: UnsafeMutablePointer<T>?, _ n: Int) -> [T] {
        guard let p, n > 0 else { return [] }
        return Array(UnsafeBufferPointer(start: p, count: n))
    }
}

/// The zeroing allocator every unpack uses: fields protobuf-c leaves untouched read as zero.
enum ZeroingAllocator {
    static func make() -> ProtobufCAllocator {
        ProtobufCAllocator(
            alloc: { _, size in calloc(1, max(size, 1)) },
            free: { _, p in free(p) },
            allocator_data: nil)
    }
}
#if canImport(Glibc)
import Glibc
#endif
