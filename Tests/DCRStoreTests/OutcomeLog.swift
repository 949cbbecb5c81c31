import DCRStore
import Synchronization

/// Collects completion-handler outcomes from the writer thread.
final class OutcomeLog: Sendable {
    private let entries = Mutex<[(Int, AppendOutcome)]>([])

    func record(_ index: Int, _ outcome: AppendOutcome) {
        entries.withLock { $0.append((index, outcome)) }
    }

    var count: Int { entries.withLock { $0.count } }
    /// Outcomes sorted by the index they were appended with.
    var inOrder: [AppendOutcome] { entries.withLock { $0.sorted { $0.0 < $1.0 }.map(\.1) } }
    /// Indexes in the order the completions ran.
    var completionOrder: [Int] { entries.withLock { $0.map(\.0) } }
}
