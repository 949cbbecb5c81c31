import NIOCore

/// Splits a byte stream into frame payloads.
///
/// It reads the 5-byte prefix, checks flags and the size limit, and only then waits for the
/// payload: a peer announcing 4 GiB costs us 5 bytes, not an allocation. A frame cut off by EOF
/// is dropped (never handed on half-read).
public struct FrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public var maxPayload: Int

    public init(maxPayload: Int = Frame.defaultMaxPayload) {
        self.maxPayload = maxPayload
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard let flags: UInt8 = buffer.getInteger(at: buffer.readerIndex),
              let length: UInt32 = buffer.getInteger(at: buffer.readerIndex + 1, endianness: .big)
        else { return nil }
        if flags != 0 { throw FrameError.badFlags(flags) }
        if UInt64(length) > UInt64(maxPayload) { throw FrameError.tooLarge(length: length, limit: maxPayload) }
        guard buffer.readableBytes >= Frame.headerSize + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: Frame.headerSize)
        return buffer.readSlice(length: Int(length))
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        // A complete frame may still be buffered; a partial one is dropped.
        try decode(buffer: &buffer)
    }
}
