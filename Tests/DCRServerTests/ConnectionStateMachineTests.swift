@testable import DCRServer
import DCRModel
import Testing

@Suite("The connection state machine")
struct ConnectionStateMachineTests {
    @Test("before the Hello only a Hello is judged; anything else is refused")
    func beforeHello() {
        let m = ConnectionStateMachine()
        #expect(m.state == .helloPending)
        #expect(m.requestArrived(.hello) == .judgeHello)
        #expect(m.requestArrived(.other) == .refuseBeforeHello)
        #expect(m.requestArrived(.invalid) == .refuseHello)
    }

    @Test("an accepted Hello opens the conversation with its role")
    func open() {
        var m = ConnectionStateMachine()
        m.helloAccepted(.monitor)
        #expect(m.state == .open(.monitor))
        #expect(m.requestArrived(.other) == .dispatch(.monitor))
        #expect(m.requestArrived(.hello) == .dispatch(.monitor), "a second Hello is the dispatcher's to refuse")
        let step1 = m.helloDeadlinePassed()
        #expect(step1 == .none, "the deadline no longer matters")
        #expect(m.state == .open(.monitor))
    }

    @Test("the first refusal stands: nothing after it is read or answered")
    func refusal() {
        var m = ConnectionStateMachine()
        m.helloAccepted(.terminal)
        let step2 = m.refuse()
        #expect(step2 == .answerThenFinish)
        #expect(m.state == .finishing)
        let step3 = m.refuse()
        #expect(step3 == .none)
        #expect(m.requestArrived(.other) == .drop)
        #expect(m.mayRead(owed: 0, limit: 8, writable: true) == .stop)
        #expect(m.answersWritten(nothingOwed: false) == .none, "acknowledgements still owed keep it open")
        #expect(m.answersWritten(nothingOwed: true) == .closeNow)
    }

    @Test("the Hello deadline refuses only a conversation still waiting for its Hello")
    func helloDeadline() {
        var waiting = ConnectionStateMachine()
        let step4 = waiting.helloDeadlinePassed()
        #expect(step4 == .answerThenFinish)
        #expect(waiting.state == .finishing)
        var closed = ConnectionStateMachine()
        _ = closed.close()
        let step5 = closed.helloDeadlinePassed()
        #expect(step5 == .none)
    }

    @Test("a half-close answers what was sent, then closes")
    func halfClose() {
        var m = ConnectionStateMachine()
        m.helloAccepted(.terminal)
        let step6 = m.inputClosed(nothingOwed: false)
        #expect(step6 == .closeWhenAnswered)
        #expect(m.state == .finishing)
        #expect(m.answersWritten(nothingOwed: true) == .closeNow)
        var idle = ConnectionStateMachine()
        let step7 = idle.inputClosed(nothingOwed: true)
        #expect(step7 == .closeNow)
    }

    @Test("draining answers what was read UNAVAILABLE, reads nothing more, closes when nothing is owed")
    func draining() {
        var m = ConnectionStateMachine()
        m.helloAccepted(.terminal)
        let step8 = m.quiesce(nothingOwed: false)
        #expect(step8 == .closeWhenAnswered)
        #expect(m.state == .draining)
        #expect(m.requestArrived(.other) == .refuseDraining)
        #expect(m.mayRead(owed: 0, limit: 8, writable: true) == .stop)
        #expect(m.answersWritten(nothingOwed: true) == .closeNow)
        var idle = ConnectionStateMachine()
        let step9 = idle.quiesce(nothingOwed: true)
        #expect(step9 == .closeNow)
    }

    @Test("a refusal while draining still finishes the conversation")
    func refusalWhileDraining() {
        var m = ConnectionStateMachine()
        _ = m.quiesce(nothingOwed: false)
        let step10 = m.refuse()
        #expect(step10 == .answerThenFinish)
        #expect(m.requestArrived(.other) == .drop)
    }

    @Test("reading holds at max-in-flight or while the client does not read, and resumes at half")
    func backpressure() {
        var m = ConnectionStateMachine()
        m.helloAccepted(.terminal)
        #expect(m.mayRead(owed: 7, limit: 8, writable: true) == .read)
        #expect(m.mayRead(owed: 8, limit: 8, writable: true) == .hold)
        #expect(m.mayRead(owed: 0, limit: 8, writable: false) == .hold)
        #expect(!m.mayResume(owed: 6, limit: 8, writable: true), "not until half the window is free")
        #expect(m.mayResume(owed: 4, limit: 8, writable: true))
        #expect(!m.mayResume(owed: 0, limit: 8, writable: false))
        _ = m.refuse()
        #expect(!m.mayResume(owed: 0, limit: 8, writable: true), "a finishing connection never reads again")
    }

    @Test("close happens once")
    func closeOnce() {
        var m = ConnectionStateMachine()
        let step11 = m.close()
        #expect(step11)
        let step12 = m.close()
        #expect(!step12)
        #expect(m.isClosed)
        #expect(m.requestArrived(.hello) == .drop)
        let step13 = m.inputClosed(nothingOwed: true)
        #expect(step13 == .none)
        let step14 = m.quiesce(nothingOwed: true)
        #expect(step14 == .none)
    }
}
