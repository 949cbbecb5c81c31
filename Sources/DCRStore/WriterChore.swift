import GRDB

/// A small write that the writer thread does inside its next commit, after that commit's
/// events: retention's deletions. A transaction of its own would cost an fsync of its own, and
/// every acknowledgement that came in meanwhile would wait for it; inside the acknowledgements'
/// own commit it costs only its rows.
///
/// Handed over and answered under the store's `condition`.
final class WriterChore: @unchecked Sendable {
    let work: (Database) throws -> Int
    var result: Result<Int, any Error>?

    init(_ work: @escaping (Database) throws -> Int) { self.work = work }
}
