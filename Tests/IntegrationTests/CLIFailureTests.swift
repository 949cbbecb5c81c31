import DCRClient
import DCRModel
import DCRWire
import Foundation
import Testing

/// What dcrctl says when it cannot do what was asked, and with which exit status (sysexits.h):
/// 69 unreachable, 77 no permission (socket or role), and never an escape code under NO_COLOR.
@Suite("dcrctl: clear failures and plain output", .serialized)
struct CLIFailureTests {
    @Test("unreachable: no socket, or a socket nobody listens on: the address, a hint, status 69")
    func unreachable() async throws {
        let missing = try await CLIProcess.run(["status", "--socket", "/nonexistent/dcr/dcrd.sock"])
        #expect(missing.status == 69)
        #expect(missing.err == "dcrctl: cannot connect to unix:/nonexistent/dcr/dcrd.sock: No such file or directory; is dcrd running? (systemctl status dcrd)\n")
        #expect(missing.out.isEmpty)

        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let port = daemon.tcpPort
        try await daemon.kill9()  // leaves its socket file behind: connection refused
        for args in [["load", "--socket", daemon.socketPath], ["watch", "--json", "--socket", daemon.socketPath],
                     ["status", "--connect", "tcp:127.0.0.1:\(port)", "--token-file", daemon.directory.appendingPathComponent("monitor.token").path]] {
            let r = try await CLIProcess.run(args)
            #expect(r.status == 69, "\(args): \(r.err)")
            #expect(r.err.hasPrefix("dcrctl: cannot connect to "), "\(args): \(r.err)")
            #expect(r.err.contains("is dcrd running?"))
        }
    }

    @Test("no permission on the socket: names the socket's group to join, status 77 (run as nobody)")
    func socketPermission() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        // dcrd makes its socket 0660; give it a group other than root so the message is telling.
        let group = getgrnam("adm") != nil ? "adm" : "root"
        #expect(chown(daemon.socketPath, 0, getgrnam(group)!.pointee.gr_gid) == 0)
        let r = try await CLIProcess.run(["status", "--socket", daemon.socketPath], asUser: ("nobody", "nogroup"))
        #expect(r.status == 77, "\(r.err)")
        #expect(r.err == "dcrctl: permission denied on unix:\(daemon.socketPath); join the group \(group) (usermod -aG \(group) $USER) and log in again\n")
    }

    @Test("wrong role: the refusal names the role needed and the role granted, status 77")
    func wrongRole() async throws {
        let daemon = try DaemonProcess(configuration: "unix-role uid nobody terminal")
        defer { daemon.cleanUp() }
        try await daemon.start()
        let terminalToken = daemon.directory.appendingPathComponent("terminal.token").path
        let tcp = "tcp:127.0.0.1:\(daemon.tcpPort)"
        for command in [["status"], ["load"], ["watch"], ["report", "intakes", "--from", "2026-03-01", "--to", "2026-03-13"]] {
            let r = try await CLIProcess.run(command + ["--connect", tcp, "--token-file", terminalToken])
            #expect(r.status == 77, "\(command): \(r.err)")
            #expect(r.err == "dcrctl: the daemon refused: PERMISSION_DENIED: hello.role: monitor is not granted to token it-terminal (granted: terminal)\n",
                    "\(command)")
        }
        // The same on the Unix socket, by the peer's uid: nobody is a terminal here.
        chmod(daemon.socketPath, 0o666)
        let local = try await CLIProcess.run(["load", "--socket", daemon.socketPath], asUser: ("nobody", "nogroup"))
        #expect(local.status == 77)
        #expect(local.err == "dcrctl: the daemon refused: PERMISSION_DENIED: hello.role: monitor is not granted to uid 65534 (granted: terminal)\n")
        // top says it before taking the screen; without a terminal it says what to use instead.
        let top = try await CLIProcess.run(["top", "--socket", daemon.socketPath])
        #expect(top.status == 64)
        #expect(top.err == "dcrctl: top needs a terminal; for pipes and scripts use dcrctl watch [--json]\n")
    }

    @Test("NO_COLOR=1: no escape code in any output; JSON and tables alike")
    func noColour() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let c = try await daemon.connect(role: .terminal)
        var factory = EventFactory(seed: 5)
        _ = try await c.sendAll((0..<50).map { .event(factory.event($0)) })
        await c.close()
        let s = ["--socket", daemon.socketPath]
        for args in [["status"] + s, ["status", "--json"] + s, ["load"] + s, ["load", "--json"] + s,
                     ["watch", "--count", "2", "--interval", "0.1"] + s, ["watch", "--json", "--count", "1"] + s,
                     ["report", "intakes", "--from", "2026-03-13", "--to", "2026-03-13", "--by", "site,gender"] + s, ["--help"], ["top", "--help"]] {
            let r = try await CLIProcess.run(args, environment: ["NO_COLOR": "1"])
            #expect(r.status == 0, "\(args): \(r.err)")
            #expect(!r.out.isEmpty)
            #expect(!(r.out + r.err).contains("\u{1B}"), "\(args) wrote an escape code")
        }
    }
}
