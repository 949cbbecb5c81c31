import DCRModel
import DCRWire
import NIOCore

/// How one input is played to the session. Byte 0: bit 0 sends a valid Hello first (so that the
/// fuzzer need not find the token), bit 1 half-closes after the last byte (`shutdown(SHUT_WR)`),
/// bit 2 lets the Hello deadline pass. Bytes 1…4 seed the cut points; the rest is the stream.
struct Plan {
    var stream: [UInt8]
    var halfClose: Bool
    var waitPastHelloDeadline: Bool
    var cuts: Cuts

    init?(_ input: UnsafeBufferPointer<UInt8>) {
        guard input.count >= 5 else { return nil }
        let switches = input[0]
        halfClose = switches & 2 != 0
        waitPastHelloDeadline = switches & 4 != 0
        cuts = Cuts(seed: UInt32(input[1]) | UInt32(input[2]) << 8 | UInt32(input[3]) << 16 | UInt32(input[4]) << 24)
        stream = switches & 1 != 0 ? Self.hello : []
        stream += input[5...]
    }

    static let hello: [UInt8] = {
        var b = ByteBuffer()
        WireCodec.writeRequestFrame(Request(id: 1, .hello(Hello(clientName: "fuzz", role: .unspecified,
                                                                credential: FuzzDaemon.token))), into: &b)
        return Array(b.readableBytesView)
    }()
}

/// Chunk sizes from a seed: 1…64 bytes (xorshift32); seed 0 sends the stream in one piece.
struct Cuts {
    private var state: UInt32

    init(seed: UInt32) { state = seed }

    mutating func next() -> Int {
        if state == 0 { return Int.max }
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        return Int(state % 64) + 1
    }
}
