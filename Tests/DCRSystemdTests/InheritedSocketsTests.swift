import DCRSystemd
import DCRTestSupport
import Foundation
import Glibc
import Testing

@Suite("Inherited sockets: the family is read from the descriptor")
struct InheritedSocketFamilyTests {
    @Test("listening Unix and TCP stream sockets are told apart; anything else is .other")
    func families() throws {
        let unix = try TestSockets.unixStream(listening: true)
        let idleUnix = try TestSockets.unixStream(listening: false)
        let tcp = try TestSockets.inet(type: Int32(SOCK_STREAM.rawValue), listening: true)
        let udp = try TestSockets.inet(type: Int32(SOCK_DGRAM.rawValue), listening: false)
        defer {
            for fd in [unix.fd, idleUnix.fd, tcp.fd, udp.fd] { close(fd) }
            unlink(unix.path)
            unlink(idleUnix.path)
        }
        #expect(InheritedSockets.family(of: unix.fd) == .unix)
        #expect(InheritedSockets.family(of: tcp.fd) == .tcp)
        #expect(InheritedSockets.family(of: idleUnix.fd) == .other, "not listening")
        #expect(InheritedSockets.family(of: udp.fd) == .other, "datagram")
        #expect(InheritedSockets.family(of: 9_999) == .other, "not open")
    }
}

extension ProcessEnvironmentTests {
    @Suite("Socket activation under the real systemd-socket-activate")
    struct InheritedSocketsTests {
        @Test("not socket-activated: no sockets")
        func none() async throws {
            try await EnvironmentOverride.with(["LISTEN_FDS": nil, "LISTEN_PID": nil, "LISTEN_FDNAMES": nil]) {
                let sockets = try InheritedSockets.take()
                #expect(sockets.isEmpty)
            }
        }

        /// systemd-socket-activate binds a Unix and a TCP socket, waits for a first connection,
        /// then starts this test binary again, running only `InheritedSocketsChild`, which
        /// writes what `InheritedSockets.take()` found to a file.
        @Test("names and families of the sockets systemd passes", .enabled(if: Tool.exists(activator)))
        func underSocketActivate() async throws {
            let binary = try #require(try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            let directory = FileManager.default.temporaryDirectory
                .appendingPathComponent("dcr-activate-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let socketPath = directory.appendingPathComponent("dcrd.sock").path
            let resultPath = directory.appendingPathComponent("result").path
            // A free port: bind port 0, read it, release it for the activator.
            let probe = try TestSockets.inet(type: Int32(SOCK_STREAM.rawValue), listening: false)
            close(probe.fd)

            let logPath = directory.appendingPathComponent("log").path
            // Not Foundation's Process: the activator closes the descriptor Foundation watches
            // for the child's exit, which would leave every later Process unreaped.
            let process = try ChildProcess(
                executable: Self.activator,
                arguments: [
                    "-l", socketPath, "-l", "127.0.0.1:\(probe.port)", "--fdname=unix:tcp",
                    "-E", "\(InheritedSocketsChild.modeVariable)=\(InheritedSocketsChild.mode)",
                    "-E", "\(InheritedSocketsChild.resultVariable)=\(resultPath)",
                    binary, "--testing-library", "swift-testing", "--filter", "InheritedSocketsChild",
                ],
                environment: ProcessInfo.processInfo.environment, stdout: .file(logPath), stderr: .file(logPath))
            defer { if process.isRunning { process.terminate() } }
            // The activator starts the child on the first connection.
            #expect(await waitUntil(within: .seconds(20)) { TestSockets.connectUnix(socketPath) })
            #expect(await waitUntil(within: .seconds(60)) { !process.isRunning })
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0, "child: \(log)")

            let result = try String(contentsOfFile: resultPath, encoding: .utf8)
            #expect(result == "3 unix unix\n4 tcp tcp\nLISTEN_FDS unset\n", "child: \(log)")
        }

        static let activator = "/usr/bin/systemd-socket-activate"
    }
}

/// Runs only as the child of `underSocketActivate` (which sets the mode variable); skipped in a
/// normal test run.
@Suite("InheritedSocketsChild")
struct InheritedSocketsChild {
    static let modeVariable = "DCR_SYSTEMD_TEST_CHILD"
    static let mode = "inherited-sockets"
    static let resultVariable = "DCR_SYSTEMD_TEST_RESULT"

    @Test(.enabled(if: ProcessInfo.processInfo.environment[modeVariable] == mode))
    func report() throws {
        let sockets = try InheritedSockets.take()
        var text = ""
        for socket in sockets {
            let family = switch socket.family {
            case .unix: "unix"
            case .tcp: "tcp"
            case .other: "other"
            }
            text += "\(socket.fd) \(socket.name) \(family)\n"
        }
        text += getenv("LISTEN_FDS") == nil ? "LISTEN_FDS unset\n" : "LISTEN_FDS still set\n"
        let path = try #require(ProcessInfo.processInfo.environment[Self.resultVariable])
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }
}
