import DCRModel
import DCRWire
import NIOCore

/// Target (a): bytes → `FrameDecoder` → `WireCodec` → `EventRules`, with three oracles:
///
/// 1. What the codec accepts, an independent reader (`WireReference`) agrees with: standard
///    protobuf, every string field of the body valid UTF-8 without NUL, and each decoded string
///    is exactly the bytes of its last occurrence on the wire (the merge of the body's parts).
/// 2. Round trip: decode → encode → decode gives the same request.
/// 3. What `EventRules` accepts keeps the contract (a configured site, 1…64 code points, no
///    control characters); what it refuses is INVALID_ARGUMENT or NOT_FOUND.
///
/// Everything per execution is small and on the stack or in one ByteBuffer; the rules and the
/// allocator are made once (building them per input cost most of the time in an earlier attempt).
let rules = EventRules(sites: Site.defaults, maxFutureSkewMs: 300_000)
/// A fixed "now" (2026-01-01T00:00:00Z): the target never reads a clock.
let nowMs: Int64 = 1_767_225_600_000
let allocator = ByteBufferAllocator()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDecode(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var stream = allocator.buffer(capacity: size)
    stream.writeBytes(UnsafeRawBufferPointer(start: data, count: size))
    var decoder = FrameDecoder(maxPayload: 4096)
    while true {
        let before = stream.readableBytes
        let frame: ByteBuffer?
        do { frame = try decoder.decode(buffer: &stream) } catch { break }
        guard let frame else { break }
        check(before - stream.readableBytes == Frame.headerSize + frame.readableBytes, "frame length")
        checkPayload(frame)
    }
    return 0
}

func checkPayload(_ payload: ByteBuffer) {
    let raw = Array(payload.readableBytesView)
    let wire = WireReference(raw)
    let decoded: DecodedRequest
    do {
        decoded = try WireCodec.decodeRequest(payload)
    } catch {
        return  // refused whole: always allowed (protobuf-c may be stricter than the reference)
    }
    check(!wire.malformed, "accepted a payload that is not standard protobuf")
    let body = decoded.request.body
    switch body {
    case .invalid(let e):
        check(e.code == .invalidArgument || e.code == .notFound, "invalid body with status \(e.code)")
        return
    case .unknown:
        return
    default:
        check(!wire.badString, "accepted a string field with a NUL byte or invalid UTF-8")
    }
    if wire.stringsWellTyped { checkStrings(body, wire) }

    // 2. round trip
    let again: DecodedRequest
    do { again = try WireCodec.decodeRequest(WireCodec.encodeRequest(decoded.request)) } catch {
        fail("re-encoded request does not decode: \(error)")
    }
    check(comparable(again.request) == comparable(decoded.request), "round trip changed the request")

    // 3. the contract's rules
    if case .event(let event) = body { checkRules(event) }
}

/// Each decoded string is the last occurrence of its field, byte for byte.
func checkStrings(_ body: Request.Body, _ wire: WireReference) {
    switch body {
    case .hello(let h):
        check(h.clientName == wire.last(2) && h.credential == wire.last(4), "hello strings differ from the wire")
    case .event(let e):
        check(e.header.site == wire.last(2), "event site differs from the wire")
        let codeField: UInt64? = switch e.kind {
        case .intake, .referral, .suspension: 10
        case .incident: 13
        case .turnAway: 11
        case .boothRelease, .suspensionLift, .void, .amend, .referralOutcome: nil
        }
        let code: String = switch e.client {
        case .code(let c)?: c.rawValue
        case .pseudonym(let p)?: p.text
        case nil: ""
        }
        if let codeField { check(code == wire.last(codeField), "client code differs from the wire") }
    case .load(let site):
        check((site ?? "") == wire.last(1), "load site differs from the wire")
    case .watch(_, let site):
        check((site ?? "") == wire.last(2), "watch site differs from the wire")
    case .report(let q):
        check(q.sites == wire.all(5), "report sites differ from the wire")
    default:
        break
    }
}

func checkRules(_ event: Event) {
    do throws(StatusError) {
        try rules.check(event, nowMs: nowMs)
    } catch {
        check(error.code == .invalidArgument || error.code == .notFound, "rules refused with \(error.code)")
        return
    }
    check(rules.sites[event.header.site] != nil, "accepted an unknown site")
    if case .code(let c)? = event.client {
        let n = c.rawValue.unicodeScalars.count
        check((1...64).contains(n), "accepted a client code of \(n) code points")
        check(!c.rawValue.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }, "accepted control characters")
    }
}

/// NaN is not equal to itself: a NaN scale compares as one fixed value on both sides.
func comparable(_ r: Request) -> Request {
    guard case .report(var q) = r.body, let s = q.scale, s.isNaN else { return r }
    q.scale = -1
    return Request(id: r.id, .report(q))
}
