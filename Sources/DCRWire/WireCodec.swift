import CProtobufC
import DCRModel
import DCRProtoC
import NIOCore

/// A request as decoded, with how many enum numbers in it this build did not know.
public struct DecodedRequest: Sendable, Hashable {
    public var request: Request
    public var unknownEnumValues: Int
}

/// The payload is not a protobuf message of the expected type. Answered INVALID_ARGUMENT, and the
/// connection is closed: after garbage, nothing that follows on the stream can be trusted.
public enum WireDecodeError: Error, Hashable, Sendable, CustomStringConvertible {
    case undecodable(String)
    public var description: String {
        switch self {
        case .undecodable(let what): "payload does not decode as a \(what) message"
        }
    }
}

/// The one door between Swift values and protobuf-c bytes. Nothing outside this module sees a C
/// pointer; every unpacked message is freed before a decode returns.
public enum WireCodec {
    // MARK: requests

    public static func decodeRequest(_ payload: ByteBuffer) throws(WireDecodeError) -> DecodedRequest {
        let result: Result<DecodedRequest, WireDecodeError> = payload.withUnsafeReadableBytes { raw in
            do throws(WireDecodeError) { return .success(try RequestCodec.decode(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    public static func decodeRequest(_ payload: [UInt8]) throws(WireDecodeError) -> DecodedRequest {
        let result: Result<DecodedRequest, WireDecodeError> = payload.withUnsafeBytes { raw in
            do throws(WireDecodeError) { return .success(try RequestCodec.decode(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    public static func encodeRequest(_ request: Request) -> [UInt8] {
        let arena = CArena()
        let m = RequestCodec.encode(request, arena: arena)
        return pack(size: dcr__v1__request__get_packed_size(m)) { dcr__v1__request__pack(m, $0) }
    }

    /// Appends the request as one whole frame.
    public static func writeRequestFrame(_ request: Request, into buffer: inout ByteBuffer) {
        let arena = CArena()
        let m = RequestCodec.encode(request, arena: arena)
        writeFrame(size: dcr__v1__request__get_packed_size(m), into: &buffer) { dcr__v1__request__pack(m, $0) }
    }

    // MARK: responses

    public static func decodeResponse(_ payload: ByteBuffer) throws(WireDecodeError) -> Response {
        let result: Result<Response, WireDecodeError> = payload.withUnsafeReadableBytes { raw in
            do throws(WireDecodeError) { return .success(try ResponseCodec.decode(raw)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    public static func encodeResponse(_ response: Response) -> [UInt8] {
        let arena = CArena()
        let m = ResponseCodec.encode(response, arena: arena)
        return pack(size: dcr__v1__response__get_packed_size(m)) { dcr__v1__response__pack(m, $0) }
    }

    /// Appends the response as one whole frame (flags, length and payload in one buffer).
    public static func writeResponseFrame(_ response: Response, into buffer: inout ByteBuffer) {
        let arena = CArena()
        let m = ResponseCodec.encode(response, arena: arena)
        writeFrame(size: dcr__v1__response__get_packed_size(m), into: &buffer) { dcr__v1__response__pack(m, $0) }
    }

    // MARK: packing

    private static func pack(size: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size)
        if size > 0 {
            let written = out.withUnsafeMutableBufferPointer { body($0.baseAddress!) }
            precondition(written == size, "protobuf-c packed \(written) of \(size) bytes")
        }
        return out
    }

    private static func writeFrame(size: Int, into buffer: inout ByteBuffer, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
        Frame.writeHeader(payloadLength: size, into: &buffer)
        if size > 0 {
            let written = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: size) { raw in
                body(raw.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            precondition(written == size, "protobuf-c packed \(written) of \(size) bytes")
        }
    }
}
