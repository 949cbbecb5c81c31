import DCRModel
import DCRWire
import NIOCore

/// What a client sent, read back the way the daemon must have read it, and the checks of what
/// the daemon wrote against it.
struct Conversation {
    /// One complete frame the client sent: its request, or nil if the payload does not decode
    /// (the daemon refuses it with request id 0 and reads nothing after it).
    var requests: [Request?] = []
    /// The stream ends in a frame the daemon must refuse (bad flags, too large).
    var badFrame = false

    init(sent: [UInt8], maxFrameBytes: Int) {
        var stream = ByteBuffer(bytes: sent)
        var decoder = FrameDecoder(maxPayload: maxFrameBytes)
        while true {
            let frame: ByteBuffer?
            do { frame = try decoder.decode(buffer: &stream) } catch { badFrame = true; break }
            guard let frame else { break }
            guard let decoded = try? WireCodec.decodeRequest(frame) else { requests.append(nil); break }
            requests.append(decoded.request)
        }
    }

    func verify(written: ByteBuffer, closed: Bool, stored: [Event]) {
        var out = written
        var decoder = FrameDecoder(maxPayload: Int(UInt32.max))
        var responses: [Response] = []
        while let frame = try? decoder.decode(buffer: &out) {
            do { responses.append(try WireCodec.decodeResponse(frame)) } catch { fail("the daemon wrote an undecodable response") }
        }
        check(out.readableBytes == 0, "the daemon wrote a partial frame")

        // PROTOCOL.md: unary requests are answered in request order. A Watch is a stream whose
        // updates (the first one included) come when they come, outside that order; but a Watch
        // that is refused (before the Hello, by role, an unknown site) is answered at once, in
        // its place. So at a Watch: an error with its id is its answer in order; anything else
        // means it became a stream, and the response is matched against what follows it.
        func isWatch(_ r: Request?) -> Bool { if case .watch? = r?.body { true } else { false } }
        let watches = Set(requests.compactMap { r -> UInt64? in isWatch(r) ? r?.id : nil })
        var next = 0
        var refused = false
        var ackedAsStored: [EventID] = []
        for r in responses {
            check(!refused, "a response after the refusal that ends the connection")
            while next < requests.count, isWatch(requests[next]), !(r.id == requests[next]?.id && r.error != nil) {
                next += 1  // that Watch became a stream
            }
            if next < requests.count, isWatch(requests[next]) {
                next += 1  // the Watch's refusal, in order
            } else if next < requests.count, r.id == (requests[next]?.id ?? 0) {
                switch requests[next]?.body {
                case nil:
                    check(r.code == .invalidArgument, "an undecodable frame answered \(r.code)")
                    refused = true
                case .event(let e)?:
                    if r.error == nil {
                        guard case .ack(let duplicate, _) = r.body else { fail("an event answered without an ack") }
                        if !duplicate { ackedAsStored.append(e.id) }
                    }
                default:
                    break
                }
                next += 1
            } else if watches.contains(r.id) {
                continue  // a watch stream's update
            } else if r.id == 0, r.error != nil {
                refused = true  // a bad frame, the Hello deadline
            } else {
                fail("response \(r.id) (\(r.code)) does not answer request \(next) of \(requests.count) in order")
            }
        }
        let unanswered = requests[min(next, requests.count)...].filter { !isWatch($0) }.count
        if unanswered > 0 || badFrame {
            check(closed, "\(unanswered) requests unanswered and the connection still open")
        }
        let storedIDs = stored.map(\.id)
        check(Set(storedIDs).count == storedIDs.count, "an event stored twice")
        check(Set(storedIDs) == Set(ackedAsStored) && storedIDs.count == ackedAsStored.count,
              "stored \(storedIDs.count) events but acknowledged \(ackedAsStored.count) as stored")
    }
}
