import DCRConfig
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 12: the read-only http: listener, and the token it needs off loopback.
@Suite("The http: listener and its rules")
struct HTTPConfigurationTests {
    let scratch = try! ScratchDirectory("dcr-httpconf")

    func cleanUp() { scratch.remove() }
    func check(_ text: String) throws(ConfigurationError) -> DaemonConfiguration { try scratch.check(text) }

    func token(_ name: String) -> String { scratch.write(name, "\(name)-0123456789abcdef") }

    @Test("listen http:HOST:PORT parses and prints back; only loopback counts as private")
    func parses() {
        #expect(ListenAddress(parsing: "http:127.0.0.1:9411") == .http(host: "127.0.0.1", port: 9411))
        #expect(ListenAddress(parsing: "http:[::1]:9411")?.description == "http:[::1]:9411")
        #expect(ListenAddress(parsing: "http:9411") == nil)
        #expect(ListenAddress(parsing: "http:127.0.0.1:9411")?.isHTTPOffLoopback == false)
        #expect(ListenAddress(parsing: "http:0.0.0.0:9411")?.isHTTPOffLoopback == true)
        #expect(ListenAddress(parsing: "http:0.0.0.0:9411")?.isPlaintextOffLoopback == false, "not the terminals' plain TCP")
    }

    @Test("off loopback it needs a monitor or admin token; a terminal token is not enough")
    func tokenOffLoopback() throws {
        defer { cleanUp() }
        #expect(try check("listen http:127.0.0.1:9411\n").listen == [.http(host: "127.0.0.1", port: 9411)])
        var refusal: ConfigurationError?
        do { _ = try check("listen http:0.0.0.0:9411\ntoken booth terminal \(token("booth"))\n") } catch { refusal = error }
        let e = try #require(refusal)
        #expect(e.message.contains("http:0.0.0.0:9411") && e.message.contains("monitor token") && e.message.contains("http:127.0.0.1"), "\(e)")
        #expect(try check("listen http:0.0.0.0:9411\ntoken screen monitor \(token("screen"))\n").listen.count == 1)
        #expect(try check("listen http:0.0.0.0:9411\ntoken lead admin \(token("lead"))\n").listen.count == 1)
    }

    @Test("http-max-connections is a limit like the others: default 64, 1 and up")
    func connectionLimit() throws {
        defer { cleanUp() }
        #expect(try check("").httpMaxConnections == 64)
        #expect(try check("http-max-connections 3\n").httpMaxConnections == 3)
        var refusal: ConfigurationError?
        do { _ = try check("http-max-connections 0\n") } catch { refusal = error }
        #expect(refusal?.message.contains("outside 1") == true, "\(String(describing: refusal))")
    }
}
