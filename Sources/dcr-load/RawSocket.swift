import DCRModel
import DCRWire
import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// The lean client of the `wire-*` modes: a blocking Unix socket, frames written with `write(2)`
/// and read with `read(2)`, no event loop and no tasks, so that the client's own cost stays out
/// of the daemon's figures (as `redis-benchmark`, a small C program, does for Redis).
enum RawSocket {
    static func connectUnix(_ path: String) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { fail("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { fail("--socket \(path): path too long") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let r = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard r == 0 else { fail("connect \(path): \(String(cString: strerror(errno)))") }
        return fd
    }

    static func exchangeHello(_ fd: Int32) {
        var frame = ByteBuffer()
        WireCodec.writeRequestFrame(Request(id: 0, .hello(Hello(clientName: "dcr-load", role: .terminal))), into: &frame)
        writeAll(fd, frame)
        var stream = FrameStream()
        while true {
            guard stream.fill(fd) else { fail("the daemon closed the connection during the Hello") }
            if let response = stream.next() {
                if let error = response.error { fail("Hello refused: \(error)") }
                return
            }
        }
    }

    static func writeAll(_ fd: Int32, _ frame: ByteBuffer) {
        frame.withUnsafeReadableBytes { raw in
            var offset = 0
            while offset < raw.count {
                let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { fail("write: \(String(cString: strerror(errno)))") }
                offset += n
            }
        }
    }

    static func sleepUntil(_ ns: UInt64) {
        var ts = timespec(tv_sec: Int(ns / 1_000_000_000), tv_nsec: Int(ns % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
    }

    /// Polls `done` every millisecond until it holds; fails with `missing` after 30 s (the
    /// other thread's answers that never came).
    static func waitForAnswers(until done: () -> Bool, _ missing: String) {
        let deadline = SystemClock.monotonicNs() + 30_000_000_000
        while !done() {
            if SystemClock.monotonicNs() > deadline { fail(missing) }
            usleep(1000)
        }
    }

    /// This process's CPU time (user and system), µs: the client's own share of the machine.
    static func cpuUs() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1_000_000 + usage.ru_utime.tv_usec + usage.ru_stime.tv_usec
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("dcr-load: \(message)\n".utf8))
        exit(1)
    }
}

/// Frames read from a blocking socket: gRPC's 5-byte header, then the payload.
struct FrameStream {
    private var buffer = ByteBuffer()
    private var frames = FrameDecoder(maxPayload: 16 * 1024 * 1024)

    /// One `read(2)`; false at end of stream.
    mutating func fill(_ fd: Int32) -> Bool {
        buffer.reserveCapacity(minimumWritableBytes: 64 * 1024)
        let n = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 64 * 1024) { raw in
            var n: Int
            repeat { n = read(fd, raw.baseAddress!, raw.count) } while n < 0 && errno == EINTR
            return max(n, 0)
        }
        return n > 0
    }

    /// The next answer's verdict without decoding it (`isAck`); nil until a whole frame is in.
    mutating func nextIsAck() -> Bool? {
        nextPayload()?.withUnsafeReadableBytes(isAck)
    }

    mutating func next() -> Response? {
        guard let payload = nextPayload() else { return nil }
        guard let response = try? WireCodec.decodeResponse(payload) else {
            RawSocket.fail("an answer that does not decode")
        }
        return response
    }

    /// The next whole frame's payload; read bytes are given back once they pass 32 KiB, not
    /// moved after every frame.
    private mutating func nextPayload() -> ByteBuffer? {
        let payload: ByteBuffer?
        do { payload = try frames.decode(buffer: &buffer) } catch { RawSocket.fail("the daemon sent a bad frame: \(error)") }
        if buffer.readerIndex > 32 * 1024 { buffer.discardReadBytes() }
        return payload
    }
}
