import DCRWire
import NIOCore
import Synchronization

/// Answers completed off an event loop (by the store's writer after a commit, by `OffLoop`),
/// carried back to that loop in bulk.
///
/// One commit completes hundreds of events at once, on the writer's thread. Handing each back
/// with its own `eventLoop.execute` cost a task and a wake-up of the loop per event. The first
/// answer posted to an empty mailbox schedules one drain; answers posted before that drain runs
/// ride along with it. One mailbox per event loop, shared by its connections.
final class AnswerMailbox: Sendable {
    struct Letter: Sendable {
        let session: NIOLoopBound<SessionReturn>
        let ticket: ReplyOrder.Ticket
        let response: Response
        /// An event's answer: delivering it pays one of `owed`.
        let pays: Bool
    }

    let eventLoop: any EventLoop
    let owed: OwedAcknowledgements
    private let letters = Mutex<[Letter]>([])

    init(eventLoop: any EventLoop, owed: OwedAcknowledgements) {
        self.eventLoop = eventLoop
        self.owed = owed
    }

    func post(_ letter: Letter) {
        let first = letters.withLock { l in
            l.append(letter)
            return l.count == 1
        }
        if first { eventLoop.execute { self.deliver() } }
    }

    private func deliver() {
        // Swapped out whole: copying the array and then emptying it in place made a second buffer
        // per delivery (the copy shares storage, so the in-place clear cannot reuse it).
        let batch = letters.withLock { l in
            var taken: [Letter] = []
            swap(&l, &taken)
            return taken
        }
        // Each connection is flushed once, after all of its answers in this delivery: one write
        // to its socket instead of one per answer.
        var touched: [ObjectIdentifier: SessionReturn] = [:]
        var paying = 0
        for letter in batch {
            let target = letter.session.value
            target.session.fill(target.context, letter.ticket, letter.response, flushing: false)
            touched[ObjectIdentifier(target.session)] = target
            if letter.pays { paying += 1 }
        }
        for target in touched.values { target.session.flushAnswers(target.context) }
        if paying > 0 { owed.paid(paying) }
    }
}

/// The mailboxes of a daemon's event loops, made on first use by each loop.
final class AnswerMailboxes: Sendable {
    private let byLoop = Mutex<[ObjectIdentifier: AnswerMailbox]>([:])
    let owed: OwedAcknowledgements

    init(owed: OwedAcknowledgements) { self.owed = owed }

    func mailbox(for eventLoop: any EventLoop) -> AnswerMailbox {
        byLoop.withLock { boxes in
            let key = ObjectIdentifier(eventLoop)
            if let box = boxes[key] { return box }
            let box = AnswerMailbox(eventLoop: eventLoop, owed: owed)
            boxes[key] = box
            return box
        }
    }
}
