import DCRModel
import DCRWire
import Foundation
import NIOCore
import Testing

/// Inputs the decode fuzz target found (Fuzz/regressions/decode), replayed by `swift test` too,
/// so a finding stays fixed whatever build of the fuzz targets exists.
@Suite("Fuzz findings stay fixed")
struct FuzzRegressionTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fuzz/regressions/decode")

    /// Every frame of a committed input, as the daemon's decoder splits it.
    static func frames(_ name: String) throws -> [ByteBuffer] {
        let bytes = try Data(contentsOf: directory.appendingPathComponent(name))
        var stream = ByteBuffer(bytes: bytes)
        var decoder = FrameDecoder(maxPayload: 4096)
        var out: [ByteBuffer] = []
        while let frame = try decoder.decode(buffer: &stream) { out.append(frame) }
        return out
    }

    /// The planted bug of Fuzz/README.md (UTF-8 checks skipped): site "H\u{91}7"-style bytes
    /// (0x48 0x91 0x37, invalid UTF-8) in an Incident. It must be refused naming the field.
    @Test("an Incident whose site is invalid UTF-8 is refused, naming incident.site")
    func plantedUTF8Site() throws {
        let frames = try Self.frames("planted-utf8-site")
        #expect(frames.count == 1)
        let decoded = try WireCodec.decodeRequest(try #require(frames.first))
        guard case .invalid(let error) = decoded.request.body else {
            Issue.record("accepted: \(decoded.request.body)")
            return
        }
        #expect(error.code == .invalidArgument)
        #expect(error.message == "incident.site: not valid UTF-8")
    }
}
