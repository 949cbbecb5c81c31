import Synchronization

/// A step against PostgreSQL that took longer than `forward-timeout`.
struct ForwardTimeout: Error, CustomStringConvertible {
    var step: String
    var seconds: Int64
    var description: String { "no answer from the server within \(seconds) s (\(step)); the connection is dropped and made again" }
}

/// Runs `body`, but answers after `limit` at the latest, or as soon as the caller is cancelled.
///
/// Why not a task group: a group waits for every child before it returns, so a call that never
/// ends (a server that vanished mid-query behind a network that drops packets, or a connection
/// whose end the client library misses) would hold the forwarder for good. Here the work runs in
/// a task of its own; on a timeout or a cancellation `abandon` closes the connection (which ends
/// the stuck call sooner or later) and the forwarder goes on without waiting for it.
func withDeadline<T: Sendable>(_ limit: Duration, step: String, abandon: @escaping @Sendable () -> Void,
                               _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let gate = AnswerGate<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            gate.set(continuation)
            let timer = Task {
                do { try await Task.sleep(for: limit) } catch { return }
                if gate.answer(.failure(ForwardTimeout(step: step, seconds: limit.components.seconds))) { abandon() }
            }
            Task {
                let result: Result<T, any Error>
                do { result = .success(try await body()) } catch { result = .failure(error) }
                timer.cancel()
                gate.answer(result)
            }
        }
    } onCancel: {
        if gate.answer(.failure(CancellationError())) { abandon() }
    }
}

/// Resumes the continuation exactly once, with whichever of the work, the timer or a
/// cancellation comes first; an answer that comes before the continuation is kept for it.
private final class AnswerGate<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        var early: Result<T, any Error>?
        var answered = false
    }
    private let state = Mutex(State())

    func set(_ continuation: CheckedContinuation<T, any Error>) {
        let early: Result<T, any Error>? = state.withLock { s in
            if let e = s.early { s.early = nil; return e }
            s.continuation = continuation
            return nil
        }
        if let e = early { continuation.resume(with: e) }
    }

    /// True when this answer was the first (its sender acts on it).
    @discardableResult
    func answer(_ result: Result<T, any Error>) -> Bool {
        let (first, continuation): (Bool, CheckedContinuation<T, any Error>?) = state.withLock { s in
            guard !s.answered else { return (false, nil) }
            s.answered = true
            if let c = s.continuation { s.continuation = nil; return (true, c) }
            s.early = result
            return (true, nil)
        }
        continuation?.resume(with: result)
        return first
    }
}
