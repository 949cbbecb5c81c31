import DCRDashboard
import DCRModel
import NIOCore
import NIOEmbedded
import Testing

@Suite("The read-only HTTP side, through NIOHTTP1 on an EmbeddedChannel")
struct DashboardHandlerTests {
    @Test("GET / serves the wall screen, whose page, style and script come from dcrd alone")
    func wallScreenIsSelfContained() throws {
        let http = try HTTPExchange()
        defer { http.close() }
        let page = try http.send("GET / HTTP/1.1", "Host: dcr")
        #expect(page.statusLine == "HTTP/1.1 200 OK")
        #expect(page.header("Content-Type") == "text/html; charset=utf-8")
        #expect(page.header("Content-Security-Policy")?.contains("default-src 'self'") == true)
        #expect(page.body.contains("<script src=\"/wall.js\""))
        for path in ["/wall.js", "/wall.css"] {
            let asset = try http.send("GET \(path) HTTP/1.1", "Host: dcr")
            #expect(asset.statusLine == "HTTP/1.1 200 OK", "\(path)")
            #expect(!asset.body.isEmpty)
        }
        for text in [page, try http.send("GET /wall.js HTTP/1.1", "Host: dcr"), try http.send("GET /wall.css HTTP/1.1", "Host: dcr")] {
            #expect(!text.body.contains("http://") && !text.body.contains("https://") && !text.body.contains("//cdn"),
                    "no external resource may be named")
        }
    }

    @Test("any method but GET and HEAD is 405 with Allow; the connection stays usable")
    func otherMethodsAre405() throws {
        let http = try HTTPExchange()
        defer { http.close() }
        for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
            let answer = try http.send("\(method) /metrics HTTP/1.1", "Host: dcr", "Content-Length: 0")
            #expect(answer.statusLine == "HTTP/1.1 405 Method Not Allowed", "\(method)")
            #expect(answer.header("Allow") == "GET, HEAD")
        }
        #expect(try http.send("GET /metrics HTTP/1.1", "Host: dcr").statusLine == "HTTP/1.1 200 OK")
    }

    @Test("an unknown path is 404 and names the paths there are")
    func unknownPathIs404() throws {
        let http = try HTTPExchange()
        defer { http.close() }
        for path in ["/admin", "/metrics/x", "/../etc/passwd", "/events.json"] {
            let answer = try http.send("GET \(path) HTTP/1.1", "Host: dcr")
            #expect(answer.statusLine == "HTTP/1.1 404 Not Found", "\(path)")
            #expect(answer.body.contains("/metrics"))
        }
    }

    @Test("HEAD answers the headers of GET with no body")
    func headHasNoBody() throws {
        let http = try HTTPExchange()
        defer { http.close() }
        let get = try http.send("GET /metrics HTTP/1.1", "Host: dcr")
        let head = try http.send("HEAD /metrics HTTP/1.1", "Host: dcr")
        #expect(head.statusLine == "HTTP/1.1 200 OK")
        #expect(head.header("Content-Length") == get.header("Content-Length"))
        #expect(head.body.isEmpty)
        #expect(get.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
    }

    @Test("where a token is required, the numbers need it and the page does not")
    func tokenGuardsTheNumbers() throws {
        let http = try HTTPExchange(requireToken: true, tokens: ["monitor-token-0123456789"])
        defer { http.close() }
        for path in ["/metrics", "/load.json", "/events"] {
            let none = try http.send("GET \(path) HTTP/1.1", "Host: dcr")
            #expect(none.statusLine == "HTTP/1.1 401 Unauthorized", "\(path)")
            #expect(none.header("WWW-Authenticate")?.hasPrefix("Bearer") == true)
            let wrong = try http.send("GET \(path) HTTP/1.1", "Host: dcr", "Authorization: Bearer monitor-token-0123456788")
            #expect(wrong.statusLine == "HTTP/1.1 401 Unauthorized", "\(path) with a wrong token")
            let prefix = try http.send("GET \(path) HTTP/1.1", "Host: dcr", "Authorization: Bearer monitor-token")
            #expect(prefix.statusLine == "HTTP/1.1 401 Unauthorized", "\(path) with a prefix of the token")
        }
        let right = try http.send("GET /metrics HTTP/1.1", "Host: dcr", "Authorization: Bearer monitor-token-0123456789")
        #expect(right.statusLine == "HTTP/1.1 200 OK")
        #expect(right.body.contains("dcr_x_total 1"))
        #expect(try http.send("GET / HTTP/1.1", "Host: dcr").statusLine == "HTTP/1.1 200 OK")
    }

    @Test("/events pushes the load at once and again each interval, with dcrctl load --json's names")
    func eventStreamPushes() throws {
        let source = FixedSource()
        let http = try HTTPExchange(source: source, intervalMs: 1000)
        defer { http.close() }
        var first = try http.send("GET /events HTTP/1.1", "Host: dcr")
        http.channel.embeddedEventLoop.run()  // the first push is due at once
        first += try http.written()
        #expect(first.statusLine == "HTTP/1.1 200 OK")
        #expect(first.header("Content-Type") == "text/event-stream")
        #expect(first.contains("\"site\":\"H17\",\"booths_taken\":3,\"capacity\":12"))
        source.load.withLock { $0.sites[0].boothsTaken = 4 }
        http.channel.embeddedEventLoop.advanceTime(by: .milliseconds(999))
        #expect(!(try http.written()).contains("booths_taken\":4"), "not before the interval")
        http.channel.embeddedEventLoop.advanceTime(by: .milliseconds(1))
        let second = try http.written()
        #expect(second.hasPrefix("event: load\ndata: {") || second.contains("\r\nevent: load\ndata: {"), "\(second)")
        #expect(second.contains("\"booths_taken\":4"))
    }

    @Test("past http-max-connections a connection gets 503 and is closed; a closed one frees its place")
    func connectionCap() throws {
        let gate = ConnectionGate(limit: 1)
        let first = try HTTPExchange(gate: gate)
        let second = try HTTPExchange(gate: gate)
        let refused = try second.send("GET /metrics HTTP/1.1", "Host: dcr")
        #expect(refused.statusLine == "HTTP/1.1 503 Service Unavailable")
        #expect(refused.header("Connection") == "close")
        #expect(try first.send("GET /metrics HTTP/1.1", "Host: dcr").statusLine == "HTTP/1.1 200 OK")
        first.close()
        second.close()
        #expect(gate.count == 0)
        let third = try HTTPExchange(gate: gate)
        defer { third.close() }
        #expect(try third.send("GET /metrics HTTP/1.1", "Host: dcr").statusLine == "HTTP/1.1 200 OK")
    }
}
