import Foundation
import Testing

extension ProcessEnvironmentTests {
    /// The units as shipped and as installed, checked by systemd's own tools.
    @Suite("Deploy/: units, install.sh, sysusers and tmpfiles", .enabled(if: Tool.exists(Tool.systemdAnalyze)))
    struct DeployTests {
        static let analyze = Tool.systemdAnalyze
        let deploy = Tool.repositoryRoot.appendingPathComponent("Deploy")

        @Test("systemd-analyze security --offline=true Deploy/dcrd.service: exposure <= 1.2")
        func exposure() throws {
            let service = deploy.appendingPathComponent("dcrd.service").path
            let result = try Tool.run(Self.analyze, ["security", "--offline=true", service])
            #expect(result.status == 0, "\(result.output)")
            let score = try #require(Self.exposure(in: result.output), "\(result.output)")
            #expect(score <= 1.2, "\(result.output)")
            // The same bound as systemd enforces it (the threshold is in tenths).
            let bounded = try Tool.run(Self.analyze, ["security", "--offline=true", "--threshold=12", service])
            #expect(bounded.status == 0, "\(bounded.output)")
        }

        /// verify loads the units with their dependencies and checks that ExecStart's binary
        /// exists, so it runs on a root made by install.sh (with stand-in binaries), plus the
        /// host's own unit library for targets such as sockets.target.
        @Test("systemd-analyze verify passes on the installed units, and fails without the binary")
        func verify() throws {
            let root = try InstallRoot()
            defer { root.remove() }
            let system = root.url.appendingPathComponent("usr/lib/systemd/system")
            try FileManager.default.createDirectory(at: system, withIntermediateDirectories: true)
            for unitDirectory in ["/usr/lib/systemd/system", "/lib/systemd/system"] {
                guard let units = try? FileManager.default.contentsOfDirectory(atPath: unitDirectory) else { continue }
                for unit in units where !FileManager.default.fileExists(atPath: system.appendingPathComponent(unit).path) {
                    try? FileManager.default.copyItem(atPath: unitDirectory + "/" + unit,
                                                      toPath: system.appendingPathComponent(unit).path)
                }
                break
            }
            try FileManager.default.createDirectory(at: root.url.appendingPathComponent("bin"),
                                                    withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: "/bin/kill", toPath: root.url.appendingPathComponent("bin/kill").path)

            let arguments = ["verify", "--root=\(root.url.path)", "--man=no", "--recursive-errors=yes",
                             "dcrd.service", "dcrd.socket", "dcrd-tcp.socket", "dcrd-tls.socket", "dcrd-http.socket"]
            let result = try Tool.run(Self.analyze, arguments)
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.isEmpty, "\(result.output)")

            // Deploy/dcrd-forward.conf, as Deploy/README.md installs it, is a drop-in systemd accepts.
            let dropIn = root.url.appendingPathComponent("etc/systemd/system/dcrd.service.d")
            try FileManager.default.createDirectory(at: dropIn, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: deploy.appendingPathComponent("dcrd-forward.conf"),
                                             to: dropIn.appendingPathComponent("forward.conf"))
            let withDropIn = try Tool.run(Self.analyze, arguments)
            #expect(withDropIn.status == 0 && withDropIn.output.isEmpty, "\(withDropIn.output)")
            let cat = try Tool.run(Self.analyze, ["cat-config", "--root=\(root.url.path)", "systemd/system/dcrd.service.d/forward.conf"])
            #expect(cat.output.contains("IPAddressAllow="), "\(cat.output)")
            try FileManager.default.removeItem(at: dropIn)

            try FileManager.default.removeItem(at: root.url.appendingPathComponent("usr/bin/dcrd"))
            let missing = try Tool.run(Self.analyze, arguments)
            #expect(missing.status != 0)
            #expect(missing.output.contains("/usr/bin/dcrd"), "\(missing.output)")

            let installed = try Tool.run(Self.analyze, ["security", "--offline=true", "--root=\(root.url.path)", "dcrd.service"])
            #expect(Self.exposure(in: installed.output).map { $0 <= 1.2 } == true, "\(installed.output)")
        }

        @Test("install.sh: binaries, units pointing at them, config kept on reinstall")
        func install() throws {
            let root = try InstallRoot(prefix: "/usr/local")
            defer { root.remove() }
            let paths = ["usr/local/bin/dcrd", "usr/local/bin/dcrctl", "usr/local/lib/systemd/system/dcrd.service",
                         "usr/local/lib/systemd/system/dcrd.socket", "usr/local/lib/systemd/system/dcrd-tcp.socket",
                         "usr/local/lib/systemd/system/dcrd-tls.socket", "usr/local/lib/systemd/system/dcrd-http.socket",
                         "usr/local/lib/sysusers.d/dcr.conf", "usr/local/lib/tmpfiles.d/dcr.conf", "etc/dcr/dcrd.conf",
                         "usr/local/share/bash-completion/completions/dcrctl"]
            for path in paths {
                #expect(FileManager.default.fileExists(atPath: root.url.appendingPathComponent(path).path), "\(path)")
            }
            let unit = try String(contentsOf: root.url.appendingPathComponent("usr/local/lib/systemd/system/dcrd.service"),
                                  encoding: .utf8)
            #expect(unit.contains("\nExecStart=/usr/local/bin/dcrd --config /etc/dcr/dcrd.conf\n"))

            let config = root.url.appendingPathComponent("etc/dcr/dcrd.conf")
            try "site X1 1\n".write(to: config, atomically: true, encoding: .utf8)
            try root.install()
            #expect(try String(contentsOf: config, encoding: .utf8) == "site X1 1\n", "an operator's file is kept")
        }

        @Test("sysusers.d creates dcr, tmpfiles.d gives it /run/dcr (0750)",
              .enabled(if: Tool.exists("/usr/bin/systemd-sysusers") && Tool.exists("/usr/bin/systemd-tmpfiles")))
        func usersAndDirectories() throws {
            let root = try InstallRoot()
            defer { root.remove() }
            let users = try Tool.run("/usr/bin/systemd-sysusers", ["--root=\(root.url.path)"])
            #expect(users.status == 0, "\(users.output)")
            let passwd = try String(contentsOf: root.url.appendingPathComponent("etc/passwd"), encoding: .utf8)
            let entry = try #require(passwd.split(separator: "\n").first { $0.hasPrefix("dcr:") })
            let uid = try #require(Int(entry.split(separator: ":")[2]))

            let files = try Tool.run("/usr/bin/systemd-tmpfiles", ["--create", "--root=\(root.url.path)"])
            #expect(files.status == 0, "\(files.output)")
            let run = try FileManager.default.attributesOfItem(atPath: root.url.appendingPathComponent("run/dcr").path)
            #expect((run[.ownerAccountID] as? NSNumber)?.intValue == uid)
            #expect((run[.posixPermissions] as? NSNumber)?.intValue == 0o750)
        }

        /// "→ Overall exposure level for dcrd.service: 0.4 SAFE 😀"
        static func exposure(in output: String) -> Double? {
            guard let match = output.firstMatch(of: /Overall exposure level for [^:]+: ([0-9]+\.[0-9]+)/) else { return nil }
            return Double(match.1)
        }
    }
}
