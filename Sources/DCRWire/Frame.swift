import NIOCore

/// gRPC's Length-Prefixed-Message: flags (1 byte), length (4 bytes, big-endian), payload.
public enum Frame {
    public static let headerSize = 5
    public static let defaultMaxPayload = 64 * 1024

    /// Writes one frame into `buffer` in a single pass, so the whole frame goes out in one write.
    public static func write(payload: some Collection<UInt8>, into buffer: inout ByteBuffer) {
        writeHeader(payloadLength: payload.count, into: &buffer)
        buffer.writeBytes(payload)
    }

    /// The 5-byte prefix of a frame whose payload follows, with room reserved for that payload.
    /// The one place that writes it (`WireCodec` packs messages straight after it).
    public static func writeHeader(payloadLength: Int, into buffer: inout ByteBuffer) {
        buffer.reserveCapacity(minimumWritableBytes: headerSize + payloadLength)
        buffer.writeInteger(UInt8(0))
        buffer.writeInteger(UInt32(payloadLength), endianness: .big)
    }

    public static func encode(payload: some Collection<UInt8>, allocator: ByteBufferAllocator = .init()) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: headerSize + payload.count)
        write(payload: payload, into: &buffer)
        return buffer
    }
}

/// Why a frame was refused before its payload was looked at.
public enum FrameError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The announced length exceeds the limit. The payload is neither read nor allocated.
    case tooLarge(length: UInt32, limit: Int)
    /// Bit 0 (compression) or a reserved bit is set.
    case badFlags(UInt8)

    public var description: String {
        switch self {
        case .tooLarge(let length, let limit):
            "frame of \(length) bytes exceeds the limit of \(limit) bytes"
        case .badFlags(let flags):
            flags & 1 == 1 ? "compressed frames are not supported (flags 0x\(String(flags, radix: 16)))"
                : "reserved flag bits set (flags 0x\(String(flags, radix: 16)))"
        }
    }

    /// A short, stable name for counters ("rejected frames by reason").
    public var reason: String {
        switch self {
        case .tooLarge: "frame_too_large"
        case .badFlags: "bad_flags"
        }
    }
}
