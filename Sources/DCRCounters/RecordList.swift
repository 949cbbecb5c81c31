/// One day's records of one kind, sorted by time (equal times: arrival order), kept in chunks
/// of at most `chunkLimit` records. Sorted, so that a scan in order sees a client's events oldest
/// first and "latest wins" is a plain overwrite.
///
/// Reports scan a copy of the counters taken under their lock, and Swift's copy-on-write makes
/// the next event pay for that copy: with one flat array per day, the first record appended
/// after a report copied the whole day (at 1,000 events/s and a report loop beside it, hundreds
/// of kilobytes on the store's writer thread, many times a second; acknowledgements waited behind
/// it). In chunks, that event copies one chunk and the list of chunks.
struct RecordList: Sendable, Sequence {
    static let chunkLimit = 512

    private(set) var chunks: [[EventRecord]] = []
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    /// Events mostly arrive in order, so this is an append to the last chunk; a late upload
    /// costs a binary search and a move within one chunk, which splits when it has doubled.
    mutating func insert(_ record: EventRecord) {
        count += 1
        guard let tail = chunks.indices.last, let newest = chunks[tail].last else {
            chunks.append([record])
            return
        }
        if newest.occurredAtMs <= record.occurredAtMs {
            if chunks[tail].count < Self.chunkLimit { chunks[tail].append(record) } else { chunks.append([record]) }
            return
        }
        // The first chunk holding a later record: everything before it is at or before `record`.
        var lo = 0, hi = tail
        while lo < hi {
            let mid = (lo + hi) / 2
            if chunks[mid].last!.occurredAtMs <= record.occurredAtMs { lo = mid + 1 } else { hi = mid }
        }
        let c = lo
        var at = 0, end = chunks[c].count
        while at < end {
            let mid = (at + end) / 2
            if chunks[c][mid].occurredAtMs <= record.occurredAtMs { at = mid + 1 } else { end = mid }
        }
        chunks[c].insert(record, at: at)
        if chunks[c].count >= 2 * Self.chunkLimit {
            let upper = Array(chunks[c][Self.chunkLimit...])
            chunks[c].removeSubrange(Self.chunkLimit...)
            chunks.insert(upper, at: c + 1)
        }
    }

    /// Takes out the first record equal to `record`; false when there is none.
    mutating func remove(_ record: EventRecord) -> Bool {
        for c in chunks.indices {
            guard let i = chunks[c].firstIndex(of: record) else { continue }
            chunks[c].remove(at: i)
            if chunks[c].isEmpty { chunks.remove(at: c) }
            count -= 1
            return true
        }
        return false
    }

    func makeIterator() -> Iterator { Iterator(chunks: chunks) }

    struct Iterator: IteratorProtocol {
        let chunks: [[EventRecord]]
        var chunk = 0
        var index = 0

        mutating func next() -> EventRecord? {
            while chunk < chunks.count {
                if index < chunks[chunk].count {
                    defer { index += 1 }
                    return chunks[chunk][index]
                }
                chunk += 1
                index = 0
            }
            return nil
        }
    }
}
