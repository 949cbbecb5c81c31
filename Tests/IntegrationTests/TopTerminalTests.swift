import DCRClient
import DCRModel
import DCRWire
import Foundation
import Testing

/// `dcrctl top` in a real terminal: a private tmux server, a real dcrd, keys by send-keys, the
/// screen by capture-pane. Every wait polls the screen with a deadline.
@Suite("dcrctl top in a real terminal (tmux)", .serialized)
struct TopTerminalTests {
    static func intake(booth: UInt32, site: String = "H17", n: Int) -> Request.Body {
        .event(.intake(Intake(header: EventHeader(id: .random(), site: site, occurredAtMs: DaemonProcess.testClockStartMs, booth: booth),
                              client: .code(ClientCode("top-\(n)")), gender: .female, age: 31, substance: .cocaine, route: .smoking)))
    }

    /// The terminal's modes as `stty -a` prints them, and the exit status of the command before.
    static let checkLine = #"echo "check rc=$? modes=$(stty -a | tr ' ;' '\n\n' | grep -c -x -e icanon -e echo -e isig -e icrnl -e ixon)""#

    /// Waits for the prompt after `top` exited and checks the exit status and the terminal's modes:
    /// canonical input, echo, signal keys, CR→NL and flow control all back on, normal screen.
    static func expectRestored(_ tmux: TmuxTerminal, status: Int32, marker: String) async throws {
        // The line the check prints starts with the marker (the typed command starts with the prompt).
        let screen = try await tmux.waitFor("\(marker): the prompt back after top") { s in
            s.split(separator: "\n").contains { $0.hasPrefix("\(marker) rc=") }
        }
        #expect(screen.split(separator: "\n").contains { $0 == "\(marker) rc=\(status) modes=5" }, "\(screen)")
        #expect(!screen.contains("booths ["), "top's screen is still showing:\n\(screen)")
        #expect(screen.split(separator: "\n").last?.hasPrefix(TmuxTerminal.prompt) == true, "\(screen)")
    }

    static func top(_ daemon: DaemonProcess, _ extra: String = "", marker: String) -> String {
        "clear; \(DaemonProcess.dcrctl) top --socket \(daemon.socketPath) \(extra); " + checkLine.replacingOccurrences(of: "check", with: marker)
    }

    @Test("new numbers within two intervals, the layout follows a resize, q gives the terminal back")
    func liveResizeQuit() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let tmux = try TmuxTerminal(columns: 80, rows: 24)
        defer { tmux.kill() }
        _ = try await tmux.waitFor("the shell prompt") { $0.contains(TmuxTerminal.prompt) }

        let intervalMs = 1000
        try tmux.type(Self.top(daemon, "--interval 1", marker: "after-q"))
        let first = try await tmux.waitFor("top's first screen") { $0.contains("live  every 1s · all sites") && $0.contains("MOBILE") }
        let lines = first.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 80 })
        #expect(first.contains("] 0/12"))
        #expect(first.contains("typical at this time: no history yet"))

        // Five intakes at H17 and an incident at SKYEN: on screen within two intervals of the acks.
        let terminal = try await daemon.connect(role: .terminal)
        var bodies = (1...5).map { Self.intake(booth: UInt32($0), n: $0) }
        bodies.append(.event(.incident(Incident(header: EventHeader(id: .random(), site: "SKYEN", occurredAtMs: DaemonProcess.testClockStartMs),
                                                kind: .threat, victimGender: .male, victimRole: .staff))))
        let acks = try await terminal.sendAll(bodies)
        #expect(acks.allSatisfy { $0.error == nil })
        let sent = ContinuousClock.now
        let updated = try await tmux.waitFor("the new numbers", timeout: .milliseconds(2 * intervalMs)) { s in
            s.contains("] 5/12") && s.contains("intakes  5 min 5   15 min 5   1 h 5") && s.contains("today 5 ")
                && s.contains("incidents 1")
        }
        let took = ContinuousClock.now - sent
        #expect(took <= .milliseconds(2 * intervalMs), "new numbers after \(took)")
        #expect(updated.contains("█  max 5/min"), "the newest minute of the sparkline is the peak:\n\(updated)")
        await terminal.close()

        // Resize: longer bars (80 → 100 columns adds 20 cells) and the keys on the new last row.
        func barCells(_ s: String) -> Int { s.split(separator: "\n").first { $0.hasPrefix("H17") }.map { $0.filter { $0 == "█" || $0 == "░" }.count } ?? 0 }
        let narrow = barCells(updated)
        try tmux.resize(columns: 100, rows: 30)
        let wide = try await tmux.waitFor("the layout at 100×30") { s in
            let rows = s.split(separator: "\n", omittingEmptySubsequences: false)
            return barCells(s) == narrow + 20 && rows.count >= 30 && rows[29].hasPrefix(" q quit")
        }
        #expect(wide.contains("updated"))

        // Keys: the site filter and the interval, both re-issue the Watch.
        try tmux.press("s")
        _ = try await tmux.waitFor("the H17 filter") { $0.contains("live  every 1s · site H17") && !$0.contains("SKYEN") }
        try tmux.press("+")
        _ = try await tmux.waitFor("the longer interval") { $0.contains("live  every 2s · site H17") && $0.contains("interval: 2s") }
        try tmux.press("?")
        _ = try await tmux.waitFor("help") { $0.contains("q          quit") }
        try tmux.press("?")

        try tmux.press("q")
        try await Self.expectRestored(tmux, status: 0, marker: "after-q")
    }

    @Test("Ctrl-C, SIGTERM and a daemon gone for good all give the terminal back; a restart shows reconnecting…")
    func everyExitRestores() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        let tmux = try TmuxTerminal(columns: 80, rows: 24)
        defer { tmux.kill() }
        _ = try await tmux.waitFor("the shell prompt") { $0.contains(TmuxTerminal.prompt) }

        // Ctrl-C (raw mode: the byte reaches top, which quits).
        try tmux.type(Self.top(daemon, marker: "after-ctrl-c"))
        _ = try await tmux.waitFor("top") { $0.contains("live  every") }
        try tmux.press("C-c")
        try await Self.expectRestored(tmux, status: 0, marker: "after-ctrl-c")

        // SIGTERM from outside: the shell writes top's pid, then becomes top.
        let pidFile = daemon.directory.appendingPathComponent("top.pid").path
        try tmux.type("clear; sh -c 'echo $$ > \(pidFile); exec \(DaemonProcess.dcrctl) top --socket \(daemon.socketPath)'; "
                      + Self.checkLine.replacingOccurrences(of: "check", with: "after-term"))
        _ = try await tmux.waitFor("top") { $0.contains("live  every") }
        let pid = try #require(Int32((try String(contentsOfFile: pidFile, encoding: .utf8)).trimmingCharacters(in: .whitespacesAndNewlines)))
        kill(pid, SIGTERM)
        try await Self.expectRestored(tmux, status: 143, marker: "after-term")

        // A daemon restart: "reconnecting…" while it is away, live again (uptime from zero) after.
        try tmux.type(Self.top(daemon, "--interval 0.5", marker: "after-restart"))
        _ = try await tmux.waitFor("top") { $0.contains("live  every 0.5s") }
        try await daemon.stop()
        let away = try await tmux.waitFor("reconnecting…") { $0.contains("reconnecting…") }
        #expect(!away.contains("live  every"), "numbers shown as live while the daemon is away:\n\(away)")
        try await daemon.start()
        _ = try await tmux.waitFor("live again after the restart") { $0.contains("live  every 0.5s") && !$0.contains("reconnecting") }
        try tmux.press("q")
        try await Self.expectRestored(tmux, status: 0, marker: "after-restart")

        // Gone for good: --give-up-after 1 ends top with status 69 and the terminal restored.
        try tmux.type(Self.top(daemon, "--interval 0.5 --give-up-after 1", marker: "after-gone"))
        _ = try await tmux.waitFor("top") { $0.contains("live  every 0.5s") }
        try await daemon.stop()
        try await Self.expectRestored(tmux, status: 69, marker: "after-gone")
        let screen = try tmux.screen()
        #expect(screen.contains("dcrctl: the daemon has been away for 1 s"), "\(screen)")
    }

    @Test("colour on a terminal; NO_COLOR=1: not a single attribute on the screen")
    func noColour() async throws {
        let daemon = try DaemonProcess()
        defer { daemon.cleanUp() }
        try await daemon.start()
        for noColour in [false, true] {
            let tmux = try TmuxTerminal(columns: 80, rows: 24, environment: noColour ? ["NO_COLOR": "1"] : [:])
            defer { tmux.kill() }
            _ = try await tmux.waitFor("the shell prompt") { $0.contains(TmuxTerminal.prompt) }
            try tmux.type(Self.top(daemon, marker: "done"))
            _ = try await tmux.waitFor("top") { $0.contains("live  every") && $0.contains("MOBILE") }
            let escaped = try tmux.screen(escapes: true)
            let hasAttributes = escaped.contains("\u{1B}[")
            #expect(hasAttributes == !noColour, "NO_COLOR \(noColour): \(escaped.debugDescription.prefix(400))")
            try tmux.press("q")
            try await Self.expectRestored(tmux, status: 0, marker: "done")
        }
    }
}
