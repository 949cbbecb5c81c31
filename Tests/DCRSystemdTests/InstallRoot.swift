import Foundation

/// A staging root filled by scripts/install.sh (DESTDIR), with stand-in executables for dcrd and
/// dcrctl; the stand-in dcrctl answers `--generate-completion-script bash` like the real one.
struct InstallRoot {
    let url: URL
    let prefix: String
    private let build: URL

    init(prefix: String = "/usr") throws {
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("dcr-install-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        url = base.appendingPathComponent("root")
        build = base.appendingPathComponent("build")
        self.prefix = prefix
        try FileManager.default.createDirectory(at: build, withIntermediateDirectories: true)
        let scripts = [
            "dcrd": "#!/bin/sh\nexit 0\n",
            "dcrctl": "#!/bin/sh\n[ \"$1 $2\" = '--generate-completion-script bash' ] && echo 'complete -F _dcrctl dcrctl' && exit 0\nexit 64\n",
        ]
        for (name, text) in scripts {
            let file = build.appendingPathComponent(name)
            try text.write(to: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }
        try install()
    }

    func install() throws {
        let script = Tool.repositoryRoot.appendingPathComponent("scripts/install.sh").path
        let result = try Tool.run("/bin/bash", [script, url.path, prefix, build.path])
        guard result.status == 0 else { throw TestFailure("install.sh failed: \(result.output)") }
    }

    func remove() {
        try? FileManager.default.removeItem(at: url.deletingLastPathComponent())
    }
}
