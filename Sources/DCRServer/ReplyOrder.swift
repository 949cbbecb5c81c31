import DCRWire
import NIOCore

/// Answers leave in request order although they complete out of it.
///
/// An event's acknowledgement completes on the store's writer thread after its commit, a report
/// off the event loop; a Ping completes at once. Each request that cannot be answered at once
/// takes a ticket; an answer is kept until every ticket before it is answered, then all that are
/// ready leave together. The number owed is what `max-in-flight` limits.
struct ReplyOrder {
    private var slots = CircularBuffer<Response?>()
    /// The ticket of `slots.first`.
    private var head: UInt64 = 0

    struct Ticket: Hashable { fileprivate let sequence: UInt64 }

    var owed: Int { slots.count }
    var isEmpty: Bool { slots.isEmpty }

    mutating func reserve() -> Ticket {
        slots.append(nil)
        return Ticket(sequence: head + UInt64(slots.count - 1))
    }

    /// Stores the answer and hands every answer now due to `write`, in order. Returns how many
    /// were written. An unknown or already answered ticket is ignored (a completion arriving after
    /// the connection was torn down).
    @discardableResult
    mutating func fill(_ ticket: Ticket, _ response: Response, write: (Response) -> Void) -> Int {
        guard ticket.sequence >= head else { return 0 }
        let offset = Int(ticket.sequence - head)
        guard offset < slots.count else { return 0 }
        let index = slots.index(slots.startIndex, offsetBy: offset)
        guard slots[index] == nil else { return 0 }
        slots[index] = response
        var written = 0
        while let first = slots.first, let ready = first {
            slots.removeFirst()
            head += 1
            write(ready)
            written += 1
        }
        return written
    }
}
