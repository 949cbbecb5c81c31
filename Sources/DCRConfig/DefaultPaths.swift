#if canImport(Glibc)
import Glibc
#endif

/// The compiled-in places, shared by `dcrd` and `dcrctl` so that the CLI finds the daemon
/// without being told (the lesson from chrony and knot: one source for the socket path).
public enum DefaultPaths {
    public static let configFile = "/etc/dcr/dcrd.conf"
    public static let tcpPort = 7411

    private static func env(_ name: String) -> String? {
        guard let v = getenv(name) else { return nil }
        let s = String(cString: v)
        return s.isEmpty ? nil : s
    }

    /// `$RUNTIME_DIRECTORY` under systemd; `/run/dcr` for root; else `$XDG_RUNTIME_DIR/dcr`;
    /// else `/tmp/dcr-UID`.
    public static var runtimeDirectory: String {
        if let d = env("RUNTIME_DIRECTORY") { return d.split(separator: ":").first.map(String.init) ?? d }
        if getuid() == 0 { return "/run/dcr" }
        if let x = env("XDG_RUNTIME_DIR") { return x + "/dcr" }
        return "/tmp/dcr-\(getuid())"
    }

    public static var socketPath: String { runtimeDirectory + "/dcrd.sock" }

    /// `$STATE_DIRECTORY` under systemd, otherwise a local folder `./dcr-state`.
    public static var stateDirectory: String {
        if let d = env("STATE_DIRECTORY") { return d.split(separator: ":").first.map(String.init) ?? d }
        return "dcr-state"
    }

    /// Where the pseudonym key lives when neither `pseudonym-key-file` nor the systemd credential
    /// says otherwise: outside the state directory, so that a copy of the events (a backup, a
    /// copied directory) is never also a copy of the means to link their pseudonyms (ENISA,
    /// EDPB 01/2025: keep the secret apart from the data it protects).
    /// `$XDG_CONFIG_HOME/dcr/pseudonym.key` when that is set; `/etc/dcr/pseudonym.key` for root;
    /// else `~/.config/dcr/pseudonym.key`.
    public static var pseudonymKeyFile: String {
        if let x = env("XDG_CONFIG_HOME") { return x + "/dcr/pseudonym.key" }
        if getuid() == 0 { return "/etc/dcr/pseudonym.key" }
        if let home = env("HOME") { return home + "/.config/dcr/pseudonym.key" }
        return "/etc/dcr/pseudonym.key"
    }

    /// `DCR_CONFIG` overrides the compiled default, for both programs.
    public static var configFileInUse: String { env("DCR_CONFIG") ?? configFile }
}
