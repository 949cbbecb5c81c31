import DCRConfig
import Testing

/// The limits for hostile peers (issue 17) are directives like every other limit.
@Suite("Directives: limits for hostile peers")
struct HostilePeerLimitsTests {
    @Test("each limit is read from the file")
    func parsed() throws {
        let c = try ConfigurationFile.parse("""
            hello-timeout 3
            max-unauthenticated 7
            max-connections-per-peer 5
            hello-failure-delay-ms 250
            output-buffer-bytes 4096
            max-output-bytes 65536
            refusal-log-interval 30
            """, file: "t.conf")
        #expect(c.helloTimeoutSeconds == 3)
        #expect(c.maxUnauthenticated == 7)
        #expect(c.maxConnectionsPerPeer == 5)
        #expect(c.helloFailureDelayMs == 250)
        #expect(c.outputBufferBytes == 4096)
        #expect(c.maxOutputBytes == 65536)
        #expect(c.refusalLogIntervalSeconds == 30)
    }

    @Test("out of range, and a close limit below the stop-reading limit, are refused", arguments: [
        ("hello-timeout 0", "hello-timeout: 0 is outside 1…3600"),
        ("max-connections-per-peer 0", "max-connections-per-peer: 0 is outside 1…100000"),
        ("output-buffer-bytes 65536\nmax-output-bytes 4096", "max-output-bytes: 4096 is below output-buffer-bytes 65536"),
    ])
    func refused(text: String, message: String) {
        #expect(throws: ConfigurationError.self) { try ConfigurationFile.parse(text, file: "t.conf") }
        do { _ = try ConfigurationFile.parse(text, file: "t.conf") } catch {
            #expect(error.message == message)
        }
    }
}
