import Foundation

/// A fresh directory under the system temp directory, removed by `remove()`.
struct TempDirectory: Sendable {
    let path: String

    init() throws {
        var template = Array((Self.base + "/dcr-store-test-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CocoaError(.fileWriteUnknown)
        }
        path = String(cString: made)
    }

    private static var base: String {
        var base = NSTemporaryDirectory()
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        return base
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { path + "/" + name }
}
