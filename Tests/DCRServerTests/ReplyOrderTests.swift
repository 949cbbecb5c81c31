@testable import DCRServer
import DCRWire
import Testing

@Suite("Answers in request order")
struct ReplyOrderTests {
    @Test("an answer waits for every earlier one, then all that are ready leave together")
    func order() {
        var order = ReplyOrder()
        let a = order.reserve(), b = order.reserve(), c = order.reserve()
        var out: [UInt64] = []
        let third = order.fill(c, Response(id: 3)) { out.append($0.id) }
        let second = order.fill(b, Response(id: 2)) { out.append($0.id) }
        #expect(third == 0 && second == 0)
        #expect(out.isEmpty && order.owed == 3)
        let first = order.fill(a, Response(id: 1)) { out.append($0.id) }
        #expect(first == 3)
        #expect(out == [1, 2, 3])
        #expect(order.isEmpty)
    }

    @Test("a ticket answered twice, or one from before, is ignored")
    func stale() {
        var order = ReplyOrder()
        let a = order.reserve(), b = order.reserve()
        var out: [UInt64] = []
        order.fill(b, Response(id: 2)) { out.append($0.id) }
        let again = order.fill(b, Response(id: 99)) { out.append($0.id) }
        order.fill(a, Response(id: 1)) { out.append($0.id) }
        let late = order.fill(a, Response(id: 98)) { out.append($0.id) }
        #expect(again == 0 && late == 0)
        #expect(out == [1, 2])
    }
}
