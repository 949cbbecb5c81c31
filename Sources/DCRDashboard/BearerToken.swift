/// `Authorization: Bearer TOKEN` against the configured monitor tokens, in constant time per
/// token, so the answer's timing tells nothing about how much of a guess was right.
enum BearerToken {
    static func accepts(_ header: String?, tokens: [[UInt8]]) -> Bool {
        guard let header else { return false }
        let prefix = "Bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix("bearer ") else { return false }
        let given = Array(header.utf8.dropFirst(prefix.utf8.count))
        var accepted = false
        for token in tokens where equal(given, token) { accepted = true }
        return accepted
    }

    private static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(a.count == b.count ? 0 : 1)
        for i in 0..<max(a.count, b.count) {
            diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0xff)
        }
        return diff == 0
    }
}
