import DCRModel

/// Pseudonyms interned to dense indices, so that records carry 4 bytes instead of a string and a
/// distinct-clients report can use a flat array indexed by client.
struct ClientDirectory: Sendable {
    private var indices: [Pseudonym: UInt32] = [:]
    private(set) var count: Int = 0

    /// The client's index; `EventRecord.noClient` for no client (or, never in practice, once
    /// 4 billion clients are known).
    mutating func index(of ref: ClientRef?) -> UInt32 {
        guard let pseudonym = ref?.pseudonym else { return EventRecord.noClient }
        if let i = indices[pseudonym] { return i }
        guard count < Int(EventRecord.noClient) else { return EventRecord.noClient }
        let i = UInt32(count)
        indices[pseudonym] = i
        count += 1
        return i
    }

    /// The count without the index, for `ReportSnapshot`: a report needs only how many
    /// clients there are, and the index is what every new client changes.
    var countOnly: ClientDirectory {
        var copy = ClientDirectory()
        copy.count = count
        return copy
    }
}
