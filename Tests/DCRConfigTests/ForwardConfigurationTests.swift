import DCRConfig
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Issue 16: `forward postgres://…` and its companions, as an operator writes them.
@Suite("The forward directives")
struct ForwardConfigurationTests {
    let scratch = try! ScratchDirectory("dcr-fwdconf")
    var dir: String { scratch.path }

    func cleanUp() { scratch.remove() }
    func check(_ text: String) throws(ConfigurationError) -> DaemonConfiguration { try scratch.check(text) }
    func refusal(_ text: String) -> ConfigurationError? { scratch.refusal(text) }

    @Test("the URL: user, host, port, database and sslmode as libpq reads them; verify-full by default")
    func url() throws {
        let f = try ForwardSettings.parse("postgres://dcr_forward_h17@db.city.example:6432/dcr?sslmode=require").get()
        #expect(f.user == "dcr_forward_h17" && f.host == "db.city.example" && f.port == 6432 && f.database == "dcr")
        #expect(f.sslMode == .require)
        #expect(f.target == "postgres://dcr_forward_h17@db.city.example:6432/dcr")
        let plain = try ForwardSettings.parse("postgresql://u@[2001:db8::5]/city").get()
        #expect(plain.host == "2001:db8::5" && plain.port == 5432 && plain.sslMode == .verifyFull)
        #expect(plain.target == "postgres://u@[2001:db8::5]:5432/city")
    }

    @Test("a password in the URL is refused, and never repeated in the message", arguments: [
        "postgres://u:s3cr3t-pw@db/dcr", "postgres://u@db/dcr?password=s3cr3t-pw", "postgres:/u:s3cr3t-pw@db/dcr",
        "postgres://u:s3cr3t-pw@db", "postgres://u@db/dcr?sslmode=disable&password=s3cr3t-pw",
    ])
    func password(_ url: String) {
        guard case .failure(let e) = ForwardSettings.parse(url) else {
            Issue.record("accepted \(url)")
            return
        }
        #expect(e.description.contains("password"), "\(e)")
        #expect(!e.description.contains("s3cr3t"), "\(e)")
    }

    @Test("what is not a usable URL says what is missing", arguments: [
        ("mysql://u@db/dcr", "postgres://"), ("postgres://db/dcr", "no user"), ("postgres://u@db", "no database"),
        ("postgres://u@db:99999/dcr", "not a port"), ("postgres://u@db/dcr?sslmode=prefer", "sslmode=prefer"),
        ("postgres://u@db/dcr?application_name=x", "unknown parameter \"application_name\""),
    ])
    func malformed(_ url: String, _ words: String) {
        guard case .failure(let e) = ForwardSettings.parse(url) else {
            Issue.record("accepted \(url)")
            return
        }
        #expect(e.description.contains(words), "\(e)")
    }

    @Test("companions: defaults, limits, and none without a forward line")
    func companions() throws {
        defer { cleanUp() }
        #expect(try check("").forward == nil)
        let url = "forward postgres://dcr@127.0.0.1/dcr?sslmode=disable\n"
        let d = try #require(try check(url).forward)
        #expect(d.batch == 1000 && d.intervalMs == 200 && d.retryMaxSeconds == 30 && d.timeoutSeconds == 30)
        let set = try #require(try check(url + "forward-batch 1500\nforward-interval-ms 50\nforward-retry-max 5\nforward-timeout 3\nforward-source H17+SKYEN\n").forward)
        #expect(set.batch == 1500 && set.intervalMs == 50 && set.retryMaxSeconds == 5 && set.timeoutSeconds == 3 && set.source == "H17+SKYEN")
        #expect(refusal(url + "forward-batch 1501\n")?.message.contains("outside 1") == true, "the protocol's 16-bit parameter count")
        #expect(refusal(url + "forward-timeout 0\n")?.message.contains("outside 1") == true)
        #expect(refusal("forward-batch 10\n")?.message.contains("need a forward postgres://") == true)
    }

    @Test("the password file and the CA must exist and be readable when named")
    func files() throws {
        defer { cleanUp() }
        let url = "forward postgres://dcr@127.0.0.1/dcr\n"
        let missing = refusal(url + "forward-password-file \(dir)/nope\n")
        #expect(missing?.message.contains("forward-password-file") == true && missing?.message.contains("No such file") == true, "\(String(describing: missing))")
        #expect(refusal(url + "forward-ca \(dir)/no-ca.pem\n")?.message.contains("forward-ca") == true)
        let pw = scratch.write("pw", "pw-0123456789\n")
        #expect(try check(url + "forward-password-file \(pw)\n").forward?.passwordFile == pw)
    }
}
