import DCRModel

/// Where one conversation stands, and what the connection must do next.
///
/// Pure: no NIO, no clock, no I/O. `Session` feeds it what happened (a request arrived, the Hello
/// was judged, the client half-closed, the daemon is draining, the owed answers are written) and
/// carries out the action it returns. Every rule about when to read, when to answer and when to
/// close lives here, so it can be tested one transition at a time (`ConnectionStateMachineTests`).
struct ConnectionStateMachine {
    enum State: Equatable {
        /// Connected; the only request that may come is a Hello.
        case helloPending
        /// The Hello was accepted with this role.
        case open(Role)
        /// Nothing more is read (a refusal, a failed Hello, the client's half-close): the answers
        /// already owed are written, then the connection closes.
        case finishing
        /// The daemon is shutting down: nothing more is read, a request already read is answered
        /// UNAVAILABLE, and the connection closes once the answers owed are written.
        case draining
        case closed
    }

    private(set) var state: State = .helloPending

    /// What a request is, as far as this machine cares.
    enum Arrival {
        case hello
        /// A Hello whose fields break the rules (a NUL in the credential) counts as a failed
        /// Hello; before the Hello any invalid request does.
        case invalid
        case other
    }

    enum RequestAction: Equatable {
        /// Read after the connection stopped reading (the rest of a chunk): dropped unanswered.
        case drop
        case refuseDraining
        case judgeHello
        case refuseHello
        case refuseBeforeHello
        case dispatch(Role)
    }

    func requestArrived(_ arrival: Arrival) -> RequestAction {
        switch state {
        case .closed, .finishing: .drop
        case .draining: .refuseDraining
        case .helloPending:
            switch arrival {
            case .hello: .judgeHello
            case .invalid: .refuseHello
            case .other: .refuseBeforeHello
            }
        case .open(let role): .dispatch(role)
        }
    }

    mutating func helloAccepted(_ role: Role) {
        if state == .helloPending { state = .open(role) }
    }

    enum RefusalAction: Equatable {
        /// Already refusing or closed: the first refusal stands, this one is not answered.
        case none
        /// Answer the refusal behind the answers owed, then close once all are written.
        case answerThenFinish
    }

    /// A bad frame, a request before Hello, a refused Hello, the Hello deadline: after this
    /// nothing more is read.
    mutating func refuse() -> RefusalAction {
        switch state {
        case .closed, .finishing: return .none
        case .helloPending, .open, .draining:
            state = .finishing
            return .answerThenFinish
        }
    }

    /// The Hello deadline only matters while the Hello is still awaited.
    mutating func helloDeadlinePassed() -> RefusalAction {
        state == .helloPending ? refuse() : .none
    }

    enum CloseAction: Equatable {
        case none
        case closeNow
        /// Close when the answers owed are written (`answersWritten`).
        case closeWhenAnswered
    }

    /// The client's `shutdown(SHUT_WR)`: what it sent before is still answered.
    mutating func inputClosed(nothingOwed: Bool) -> CloseAction {
        switch state {
        case .closed: return .none
        case .finishing, .draining: return nothingOwed ? .closeNow : .closeWhenAnswered
        case .helloPending, .open:
            state = .finishing
            return nothingOwed ? .closeNow : .closeWhenAnswered
        }
    }

    /// The daemon is shutting down (`ChannelShouldQuiesceEvent`).
    mutating func quiesce(nothingOwed: Bool) -> CloseAction {
        switch state {
        case .closed: return .none
        case .finishing: return nothingOwed ? .closeNow : .closeWhenAnswered
        case .helloPending, .open, .draining:
            state = .draining
            return nothingOwed ? .closeNow : .closeWhenAnswered
        }
    }

    /// Called each time answers leave, and when a refusal was queued.
    func answersWritten(nothingOwed: Bool) -> CloseAction {
        switch state {
        case .finishing, .draining: nothingOwed ? .closeNow : .none
        case .helloPending, .open, .closed: .none
        }
    }

    enum ReadAction: Equatable {
        case read
        /// Stop reading until answers leave or the channel is writable again (`resume`).
        case hold
        /// Never again: finishing, draining or closed.
        case stop
    }

    /// Reads only while fewer than `limit` answers are owed and the client is reading what was
    /// written (the channel is writable: unsent bytes below `output-buffer-bytes`). A client
    /// that never reads is not read either, so it cannot grow the daemon.
    func mayRead(owed: Int, limit: Int, writable: Bool) -> ReadAction {
        switch state {
        case .closed, .finishing, .draining: .stop
        case .helloPending, .open: owed >= limit || !writable ? .hold : .read
        }
    }

    /// Reading resumes at half the limit, so a full window does not flap read/hold per answer.
    func mayResume(owed: Int, limit: Int, writable: Bool) -> Bool {
        mayRead(owed: owed, limit: limit, writable: writable) == .read && owed < limit / 2 + 1
    }

    /// True the first time only: the caller closes the channel then.
    mutating func close() -> Bool {
        if state == .closed { return false }
        state = .closed
        return true
    }

    var isClosed: Bool { state == .closed }
}
