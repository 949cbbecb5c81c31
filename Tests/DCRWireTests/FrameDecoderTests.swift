import DCRWire
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@Suite("Frames: the 5-byte prefix and the size limit")
struct FrameDecoderTests {
    func frame(_ payload: [UInt8]) -> ByteBuffer { Frame.encode(payload: payload) }

    @Test("frames split at any byte boundary decode to their payloads")
    func verifier() throws {
        let payloads: [[UInt8]] = [[], [1], Array(repeating: 7, count: 300), [1, 2, 3]]
        let pairs = payloads.map { (frame($0), [ByteBuffer(bytes: $0)]) }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            FrameDecoder(maxPayload: 1024)
        }
    }

    @Test("a frame over the limit is refused from its header alone")
    func tooLarge() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder(maxPayload: 65536)))
        var header = ByteBuffer()
        header.writeInteger(UInt8(0))
        header.writeInteger(UInt32(65537), endianness: .big)
        #expect(throws: FrameError.tooLarge(length: 65537, limit: 65536)) { try channel.writeInbound(header) }
        _ = try? channel.finish()
    }

    @Test("a 4 GiB announcement costs five bytes")
    func fourGiB() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        var header = ByteBuffer()
        header.writeInteger(UInt8(0))
        header.writeInteger(UInt32.max, endianness: .big)
        #expect(throws: FrameError.tooLarge(length: UInt32.max, limit: 65536)) { try channel.writeInbound(header) }
        _ = try? channel.finish()
    }

    @Test("compression and reserved flag bits are refused", arguments: [UInt8(1), 2, 0x80, 0xFF])
    func flags(flag: UInt8) throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        var buffer = ByteBuffer()
        buffer.writeInteger(flag)
        buffer.writeInteger(UInt32(1), endianness: .big)
        buffer.writeInteger(UInt8(0))
        #expect(throws: FrameError.badFlags(flag)) { try channel.writeInbound(buffer) }
        _ = try? channel.finish()
    }

    @Test("a frame cut off by EOF is dropped, not delivered")
    func truncated() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(FrameDecoder()))
        var buffer = frame([1, 2, 3, 4])
        buffer.moveWriterIndex(to: buffer.writerIndex - 2)
        try channel.writeInbound(buffer)
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
        _ = try? channel.finish()
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
    }
}
