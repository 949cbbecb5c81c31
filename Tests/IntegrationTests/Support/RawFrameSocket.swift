import DCRWire
import Foundation
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// A plain blocking-free POSIX stream socket that writes request frames and reads response frames
/// without NIO or `DCRClient`, so that a test can put a Hello and many events on the wire in one
/// write, before anything has answered (or even started) on the other side.
final class RawFrameSocket {
    private let fd: Int32
    private var inbox: [UInt8] = []

    private init(fd: Int32) { self.fd = fd }

    deinit { close(fd) }

    static func connect(unixPath path: String) throws -> RawFrameSocket {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: \(String(cString: strerror(errno)))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.utf8.enumerated() { raw[i] = b }
        }
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard ok == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw HarnessError("connect \(path): \(why)")
        }
        return RawFrameSocket(fd: fd)
    }

    static func connect(localhostPort port: Int) throws -> RawFrameSocket {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: \(String(cString: strerror(errno)))") }
        var addr = Self.loopback(port: port)
        let ok = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw HarnessError("connect 127.0.0.1:\(port): \(why)")
        }
        return RawFrameSocket(fd: fd)
    }

    /// Writes every request as one frame, all in one buffer.
    func write(_ requests: [Request]) throws {
        var buffer = ByteBufferAllocator().buffer(capacity: requests.count * 128)
        for r in requests { WireCodec.writeRequestFrame(r, into: &buffer) }
        let bytes = Array(buffer.readableBytesView)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw HarnessError("send: \(String(cString: strerror(errno)))") }
            offset += n
        }
    }

    /// Reads until `count` responses have arrived (or the deadline passes, or the peer closes).
    func read(_ count: Int, timeout: Duration = .seconds(30)) async throws -> [Response] {
        var responses: [Response] = []
        let deadline = ContinuousClock.now + timeout
        var chunk = [UInt8](repeating: 0, count: 65536)
        while responses.count < count {
            while let payload = takeFrame() { responses.append(try WireCodec.decodeResponse(payload)) }
            if responses.count >= count { break }
            guard ContinuousClock.now < deadline else {
                throw HarnessError("\(responses.count) of \(count) responses within \(timeout)")
            }
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if n > 0 {
                inbox += chunk[..<n]
            } else if n == 0 {
                throw HarnessError("the daemon closed the connection after \(responses.count) of \(count) responses")
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                try await Task.sleep(for: .milliseconds(5))
            } else {
                throw HarnessError("recv: \(String(cString: strerror(errno)))")
            }
        }
        return responses
    }

    /// One whole frame's payload (flag byte, 4-byte big-endian length, payload), if buffered.
    private func takeFrame() -> ByteBuffer? {
        guard inbox.count >= 5 else { return nil }
        let length = inbox[1..<5].reduce(0) { $0 << 8 | Int($1) }
        guard inbox.count >= 5 + length else { return nil }
        let payload = ByteBuffer(bytes: inbox[5..<(5 + length)])
        inbox.removeFirst(5 + length)
        return payload
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (systemd-socket-activate needs a number).
    static func freeLocalhostPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var addr = loopback(port: 0)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw HarnessError("bind: \(String(cString: strerror(errno)))") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw HarnessError("getsockname: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return addr
    }
}
