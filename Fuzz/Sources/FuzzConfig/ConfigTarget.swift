import DCRConfig

/// Target (c): the configuration parser. Any text either parses or fails with a located error
/// (never a crash, never a line number outside the file); a text that parses is printed back as
/// directives (`ConfigPrinter`) and must parse to the same configuration.
///
/// Token files are not read: `FuzzSecrets` makes a secret from the path, reversibly, so the
/// printer can name a path that gives the same secret back.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let parsed: DaemonConfiguration
    do {
        parsed = try ConfigurationFile.parse(text, file: "fuzz.conf", readSecret: FuzzSecrets.read)
    } catch {
        let lines = ConfigurationFile.lines(text).count
        check(error.file == "fuzz.conf" && (0...lines).contains(error.line), "error located at line \(error.line) of \(lines)")
        check(!error.message.isEmpty, "an error without a message")
        return 0
    }
    let printed = ConfigPrinter.print(parsed)
    let again: DaemonConfiguration
    do {
        again = try ConfigurationFile.parse(printed, file: "printed.conf", readSecret: FuzzSecrets.read)
    } catch {
        fail("the printed configuration does not parse: \(error)\n\(printed)")
    }
    check(again == parsed, "the printed configuration parses to another one:\n\(printed)")
    return 0
}

/// A token file's "contents" for the fuzzer: a fixed prefix (so every secret is long enough)
/// and the path. Paths starting with "missing" cannot be read.
enum FuzzSecrets {
    static let prefix = "fuzz-secret-0123456789:"

    /// The path between the prefix and a closing ":", so that the parser's trimming of a
    /// secret's surrounding white space (a path may end in U+2028) never changes the path.
    static func read(_ path: String) -> String? {
        path.hasPrefix("missing") ? nil : prefix + path + ":"
    }

    /// The path whose secret is `secret`.
    static func path(of secret: [UInt8]) -> String {
        String(decoding: secret.dropFirst(prefix.utf8.count).dropLast(), as: UTF8.self)
    }
}
