import DCRConfig
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A temporary directory for one test's configuration and secret files, and the check a start
/// makes (`dcrd --check-config`) over a file written there.
struct ScratchDirectory {
    let path: String

    init(_ prefix: String) throws {
        var template = Array((NSTemporaryDirectory() + prefix + "-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw CocoaError(.fileWriteUnknown) }
        path = String(cString: made)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `text` to `name` here; returns its path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let file = path + "/" + name
        _ = FileManager.default.createFile(atPath: file, contents: Data(text.utf8))
        return file
    }

    /// `text` after a state-dir and a pseudonym key in this directory, loaded and checked.
    func check(_ text: String) throws(ConfigurationError) -> DaemonConfiguration {
        let conf = write("dcrd.conf", "state-dir \(path)/state\npseudonym-key-file \(path)/key\n" + text)
        return try ConfigurationCheck(user: .current(), credentialsDirectory: nil, loadCredentials: [:]).load(path: conf)
    }

    /// The error `check` throws for `text`; nil when it is accepted.
    func refusal(_ text: String) -> ConfigurationError? {
        do { _ = try check(text) } catch { return error }
        return nil
    }
}
