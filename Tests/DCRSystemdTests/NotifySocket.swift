import Glibc

/// A real notify socket: an AF_UNIX datagram socket bound to a fresh path, as systemd's
/// /run/systemd/notify is, so that tests see exactly what sd_notify(3) sends.
final class NotifySocket {
    let path: String
    private let fd: Int32

    init() throws {
        path = "/tmp/dcr-notify-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            close(fd)
            throw TestFailure("bind \(path): errno \(errno)")
        }
    }

    deinit {
        close(fd)
        unlink(path)
    }

    /// The next datagram, or nil if none arrives before the deadline. Polls without blocking so
    /// that a waiting test does not hold one of the few cooperative threads.
    func receive(within timeout: Duration = .seconds(5)) async -> String? {
        let deadline = ContinuousClock.now + timeout
        while true {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&poller, 1, 0) == 1 {
                var buffer = [UInt8](repeating: 0, count: 4096)
                let count = recv(fd, &buffer, buffer.count, 0)
                if count < 0 { return nil }
                return String(decoding: buffer[..<count], as: UTF8.self)
            }
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(2))
        }
    }

    /// Datagrams until `stop` says enough or the deadline passes.
    func receive(until stop: ([String]) -> Bool, within timeout: Duration) async -> [String] {
        let deadline = ContinuousClock.now + timeout
        var messages: [String] = []
        while !stop(messages) {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero, let message = await receive(within: left) else { break }
            messages.append(message)
        }
        return messages
    }
}
