import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A real `sd_notify` receiver: an `AF_UNIX` datagram socket bound to a path, read on a thread of
/// its own, that records every datagram with the (monotonic) instant it arrived. Give its `path`
/// to the daemon as `NOTIFY_SOCKET`, as systemd does.
final class NotifySocket: Sendable {
    /// One datagram: its assignments in order (`RELOADING=1\nMONOTONIC_USEC=…` is one message).
    struct Message: Sendable, CustomStringConvertible {
        let arrived: ContinuousClock.Instant
        let assignments: [(key: String, value: String)]

        func value(_ key: String) -> String? { assignments.first { $0.key == key }?.value }
        func has(_ key: String, _ value: String) -> Bool { self.value(key) == value }
        var description: String { assignments.map { "\($0.key)=\($0.value)" }.joined(separator: "\\n") }
    }

    let path: String
    private let messages = Mutex<[Message]>([])
    private let stopRequested = Atomic<Bool>(false)

    init(directory: URL) throws {
        path = directory.appendingPathComponent("notify.sock").path
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket(AF_UNIX, SOCK_DGRAM): \(String(cString: strerror(errno)))") }
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else {
            close(fd)
            throw HarnessError("notify socket path too long: \(path)")
        }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else {
            let why = String(cString: strerror(errno))
            close(fd)
            throw HarnessError("bind \(path): \(why)")
        }
        let thread = Thread { [self] in self.receive(fd) }
        thread.name = "notify-socket"
        thread.start()
    }

    /// Reads until `stop()`; polls so that it notices the stop without a datagram.
    private func receive(_ fd: Int32) {
        var buffer = [UInt8](repeating: 0, count: 8192)
        while !stopRequested.load(ordering: .acquiring) {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&p, 1, 50) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { continue }
            let arrived = ContinuousClock.now
            let text = String(decoding: buffer[..<n], as: UTF8.self)
            let assignments = text.split(separator: "\n").map { line -> (key: String, value: String) in
                let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                return (String(parts[0]), parts.count > 1 ? String(parts[1]) : "")
            }
            messages.withLock { $0.append(Message(arrived: arrived, assignments: assignments)) }
        }
        close(fd)
        unlink(path)
    }

    func stop() { stopRequested.store(true, ordering: .releasing) }

    deinit { stop() }

    /// Everything received so far, in order of arrival.
    var received: [Message] { messages.withLock { $0 } }

    /// Waits until `condition` holds for the messages received so far; returns them.
    @discardableResult
    func wait(for what: String, timeout: Duration = .seconds(30),
              until condition: ([Message]) -> Bool) async throws -> [Message] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let seen = received
            if condition(seen) { return seen }
            guard ContinuousClock.now < deadline else {
                throw HarnessError("notify socket: no \(what) within \(timeout); received:\n"
                                   + seen.map(\.description).joined(separator: "\n"))
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Waits for the first message (from index `from` on) with `key=value`; returns its index.
    @discardableResult
    func waitForIndex(of key: String, _ value: String, from: Int = 0, timeout: Duration = .seconds(30)) async throws -> Int {
        try await waitForIndex(of: "\(key)=\(value)", from: from, timeout: timeout) { $0.has(key, value) }
    }

    /// Waits for the first message (from index `from` on) that `matches`; returns its index.
    @discardableResult
    func waitForIndex(of what: String, from: Int = 0, timeout: Duration = .seconds(30),
                      where matches: (Message) -> Bool) async throws -> Int {
        let seen = try await wait(for: what, timeout: timeout) { m in
            m.indices.contains { $0 >= from && matches(m[$0]) }
        }
        return seen.indices.first { $0 >= from && matches(seen[$0]) }!
    }

    /// Arrival instants of the `WATCHDOG=1` pings from index `from` on.
    func watchdogPings(from: Int = 0) -> [ContinuousClock.Instant] {
        received.dropFirst(from).filter { $0.has("WATCHDOG", "1") }.map(\.arrived)
    }
}

/// The longest gap between consecutive instants (zero for fewer than two).
func longestGap(_ instants: [ContinuousClock.Instant]) -> Duration {
    zip(instants, instants.dropFirst()).map { $1 - $0 }.max() ?? .zero
}
