import DCRSystemd
import Glibc
import Testing

extension ProcessEnvironmentTests {
    @Suite("sd_notify through a real notify socket")
    struct SystemdNotifierTests {
        let notifier = SystemdNotifier()

        @Test("every state change arrives as the datagram systemd expects")
        func messages() async throws {
            let socket = try NotifySocket()
            try await EnvironmentOverride.with(["NOTIFY_SOCKET": socket.path]) {
                #expect(notifier.isEnabled)

                #expect(notifier.ready() == .sent)
                #expect(await socket.receive() == "READY=1")

                #expect(notifier.status("3 terminals\n12 events/min\r\n\u{7}H17 4/6") == .sent)
                #expect(await socket.receive() == "STATUS=3 terminals 12 events/min   H17 4/6")

                #expect(notifier.reloading(monotonicUsec: 42) == .sent)
                #expect(await socket.receive() == "RELOADING=1\nMONOTONIC_USEC=42")

                let before = Self.monotonicNow()
                notifier.reloading()
                let after = Self.monotonicNow()
                let reload = try #require(await socket.receive())
                let lines = reload.split(separator: "\n")
                #expect(lines.first == "RELOADING=1")
                let stamp = try #require(lines.last.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
                #expect(lines.last?.hasPrefix("MONOTONIC_USEC=") == true)
                #expect(before <= stamp && stamp <= after, "MONOTONIC_USEC is CLOCK_MONOTONIC at the call")

                #expect(notifier.watchdog() == .sent)
                #expect(await socket.receive() == "WATCHDOG=1")

                #expect(notifier.extendTimeout(microseconds: 30_000_000) == .sent)
                #expect(await socket.receive() == "EXTEND_TIMEOUT_USEC=30000000")

                #expect(notifier.stopping() == .sent)
                #expect(await socket.receive() == "STOPPING=1")

                #expect(notifier.send("READY=1\nSTATUS=reloaded") == .sent)
                #expect(await socket.receive() == "READY=1\nSTATUS=reloaded")
            }
        }

        @Test("started by hand: nothing to tell, and that is not an error")
        func notConfigured() async {
            await EnvironmentOverride.with(["NOTIFY_SOCKET": nil]) {
                #expect(!notifier.isEnabled)
                #expect(notifier.ready() == .notConfigured)
            }
        }

        @Test("an unreachable notify socket is reported with its errno")
        func unreachable() async {
            await EnvironmentOverride.with(["NOTIFY_SOCKET": "/nonexistent-dcr-dir/notify"]) {
                guard case .failed(let error) = notifier.ready() else {
                    Issue.record("expected a failure")
                    return
                }
                #expect(error.operation == "sd_notify")
                #expect(error.errno == ENOENT)
            }
        }

        static func monotonicNow() -> UInt64 {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
        }
    }
}
