import DCRModel
import DCRWire
import NIOCore
#if canImport(Glibc)
import Glibc
#endif

/// A plain blocking Unix stream socket for sending what no well-behaved client would.
///
/// Every read has a deadline (`SO_RCVTIMEO`), so a test that waits for an answer or for EOF
/// fails after that time instead of hanging; nothing sleeps for luck.
final class RawSocket {
    private(set) var fd: Int32

    /// What a read saw: a whole frame, the peer's close, or nothing before the deadline.
    enum Read: CustomStringConvertible {
        case frame(flags: UInt8, payload: [UInt8])
        case eof
        case timeout

        var description: String {
            switch self {
            case .frame(let flags, let payload): "frame(flags \(flags), \(payload.count) bytes)"
            case .eof: "EOF"
            case .timeout: "timeout"
            }
        }
    }

    init(unixPath path: String, timeout: Duration = .seconds(10)) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: \(String(cString: strerror(errno)))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { throw HarnessError("socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard rc == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw HarnessError("connect \(path): \(why)")
        }
        setTimeout(timeout)
    }

    /// A TCP connection to 127.0.0.1:`port`, from `source` (another loopback address such as
    /// 127.0.0.2 stands for a second host).
    init(tcpPort port: Int, source: String? = nil, timeout: Duration = .seconds(10)) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: \(String(cString: strerror(errno)))") }
        func inet(_ host: String, _ port: Int) -> sockaddr_in {
            var a = sockaddr_in()
            a.sin_family = sa_family_t(AF_INET)
            a.sin_port = in_port_t(UInt16(port).bigEndian)
            inet_pton(AF_INET, host, &a.sin_addr)
            return a
        }
        func call(_ addr: sockaddr_in, _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
            var a = addr
            return withUnsafePointer(to: &a) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
        }
        if let source, call(inet(source, 0), { Glibc.bind($0, $1, $2) }) != 0 {
            let why = String(cString: strerror(errno))
            close(fd)
            throw HarnessError("bind \(source): \(why)")
        }
        guard call(inet("127.0.0.1", port), { Glibc.connect($0, $1, $2) }) == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw HarnessError("connect 127.0.0.1:\(port): \(why)")
        }
        setTimeout(timeout)
    }

    deinit { closeNow() }

    func setTimeout(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    }

    func closeNow() {
        if fd >= 0 { close(fd) }
        fd = -1
    }

    /// Half-closes: the daemon sees EOF, we can still read what it says.
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Writes all bytes; false when the daemon has already closed (EPIPE, ECONNRESET).
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            sent += n
        }
        return true
    }

    func send(_ request: Request) -> Bool {
        send(Self.frame(WireCodec.encodeRequest(request)))
    }

    /// Reads exactly `count` bytes, or reports EOF / the deadline.
    private func readExactly(_ count: Int) -> (bytes: [UInt8], end: Read?) {
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, count - got, 0) }
            if n > 0 { got += n; continue }
            if n == 0 { return (Array(out[..<got]), .eof) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return (Array(out[..<got]), .timeout)
            default: return (Array(out[..<got]), .eof)  // ECONNRESET: the daemon closed
            }
        }
        return (out, nil)
    }

    /// The next frame, or EOF, or a timeout (a partial frame before EOF counts as EOF).
    func readFrame() -> Read {
        let (header, end) = readExactly(Frame.headerSize)
        if let end { return end }
        let length = header[1...4].reduce(0) { $0 << 8 | Int($1) }
        let (payload, end2) = readExactly(length)
        if let end2 { return end2 }
        return .frame(flags: header[0], payload: payload)
    }

    /// The next frame decoded as a Response; throws on EOF, timeout or bytes that are not one.
    func readResponse() throws -> Response {
        switch readFrame() {
        case .frame(let flags, let payload):
            guard flags == 0 else { throw HarnessError("response frame with flags \(flags)") }
            return try WireCodec.decodeResponse(ByteBuffer(bytes: payload))
        case let other:
            throw HarnessError("expected a response frame, got \(other)")
        }
    }

    /// Reads until the daemon closes (true) or the deadline passes (false); no bytes may come first.
    func waitForEOF() -> (closed: Bool, extraBytes: Int) {
        var extra = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, $0.count, 0) }
            if n > 0 { extra += n; continue }
            if n == 0 { return (true, extra) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return (false, extra)
            default: return (true, extra)
            }
        }
    }

    /// Says Hello with the given credential (TCP) and expects Welcome.
    func hello(role: Role, credential: String, id: UInt64 = 1) throws {
        guard send(Request(id: id, .hello(Hello(clientName: "raw", role: role, credential: credential)))) else {
            throw HarnessError("hello: send failed")
        }
        let r = try readResponse()
        guard case .welcome = r.body else { throw HarnessError("hello refused: \(r)") }
    }

    /// Says Hello as the given role and expects Welcome.
    func hello(role: Role = .admin, id: UInt64 = 1) throws {
        guard send(Request(id: id, .hello(Hello(clientName: "raw", role: role)))) else { throw HarnessError("hello: send failed") }
        let r = try readResponse()
        guard case .welcome = r.body else { throw HarnessError("hello refused: \(r)") }
    }

    static func frame(_ payload: [UInt8], flags: UInt8 = 0) -> [UInt8] {
        header(length: UInt32(payload.count), flags: flags) + payload
    }

    static func header(length: UInt32, flags: UInt8 = 0) -> [UInt8] {
        [flags, UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
    }
}
