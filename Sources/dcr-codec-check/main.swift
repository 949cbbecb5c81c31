// Decodes and encodes many valid and hostile payloads so that valgrind (`make test-leaks`) can
// prove every protobuf-c message the codec unpacks is freed.
import DCRModel
import DCRWire
#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var state: UInt64 = 0x5EED  // single-threaded program
func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

let iterations = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 20_000 : 20_000
let header = EventHeader(id: EventID(high: 1, low: 2), site: "H17", occurredAtMs: 1_700_000_000_000, booth: 1)
let samples: [Request] = [
    Request(id: 1, .event(.intake(Intake(header: header, client: .code(ClientCode("c")), gender: .male, age: 30,
                                         substance: .heroin, route: .injection)))),
    Request(id: 2, .event(.incident(Incident(header: header, kind: .violence, victimGender: .female,
                                             victimRole: .client, client: .code(ClientCode("d")))))),
    Request(id: 3, .report(ReportQuery(measure: .intakes, from: LocalDate(year: 2022, month: 1, day: 1),
                                       to: LocalDate(year: 2022, month: 2, day: 1), groupBy: [.site, .isoWeek],
                                       sites: ["H17", "SKYEN"]))),
    Request(id: 4, .hello(Hello(clientName: "leak-check", role: .monitor))),
]
let valid = samples.map(WireCodec.encodeRequest)
var decoded = 0, refused = 0
for i in 0..<iterations {
    var bytes = valid[i % valid.count]
    if i % 2 == 1 {  // hostile: flip, cut or extend
        switch next() % 3 {
        case 0: if !bytes.isEmpty { bytes[Int(next() % UInt64(bytes.count))] ^= UInt8(truncatingIfNeeded: next()) }
        case 1: bytes = Array(bytes.prefix(Int(next() % UInt64(bytes.count + 1))))
        default: bytes += (0..<Int(next() % 64)).map { _ in UInt8(truncatingIfNeeded: next()) }
        }
    }
    if (try? WireCodec.decodeRequest(bytes)) != nil { decoded += 1 } else { refused += 1 }
    let response = Response(id: UInt64(i), .ack(duplicate: i % 3 == 0))
    _ = try? WireCodec.decodeResponse(.init(bytes: WireCodec.encodeResponse(response)))
}
if CommandLine.arguments.contains("--leak-on-purpose") {
    // The leak check's control: one block nobody frees, which valgrind must report.
    func leak() { _ = malloc(64) }
    leak()
}
print("dcr-codec-check: \(iterations) payloads, \(decoded) decoded, \(refused) refused")
