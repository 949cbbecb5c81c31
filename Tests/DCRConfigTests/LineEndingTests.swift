import DCRConfig
import Testing

/// The file is cut into lines and words at Unicode scalars. Found by the config fuzz target:
/// Swift's `Character` makes "\r\n" one character (a file saved with Windows line ends read as one
/// line) and a space followed by a combining mark one character (the value joined its keyword).
@Suite("dcrd.conf: lines and words at Unicode scalars")
struct LineEndingTests {
    static func secret(_ path: String) -> String? { "0123456789abcdef0123" }

    @Test("a file with CRLF line ends reads as the same file with LF")
    func crlf() throws {
        let lf = "site H17 12\nsite SKYEN 6\nmax-connections 100   # a comment\n\nhello-timeout 5\n"
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let a = try ConfigurationFile.parse(lf, file: "lf.conf", readSecret: Self.secret)
        let b = try ConfigurationFile.parse(crlf, file: "crlf.conf", readSecret: Self.secret)
        #expect(a == b)
        #expect(b.maxConnections == 100 && b.helloTimeoutSeconds == 5 && b.sites.count == 2)
    }

    @Test("an error names the line a reader counts, CRLF or not")
    func lineNumbers() {
        #expect {
            try ConfigurationFile.parse("site H17 12\r\nsite SKYEN 6\r\nbogus 1\r\n", file: "x.conf", readSecret: Self.secret)
        } throws: { ($0 as? ConfigurationError)?.line == 3 }
    }

    @Test("a value that starts with a combining mark stays apart from its keyword, and prints back")
    func combining() throws {
        let text = "tls-key \u{0611}key.pem\n"
        let c = try ConfigurationFile.parse(text, file: "c.conf", readSecret: Self.secret)
        #expect(c.tls.keyFile == "\u{0611}key.pem")
        let again = try ConfigurationFile.parse("tls-key \(c.tls.keyFile!)\n", file: "c.conf", readSecret: Self.secret)
        #expect(again == c)
    }
}
