import GRDB

/// A failed batch, said in a few words an on-call lead understands.
///
/// The text comes from the SQLite result code and SQLite's own message, never from statement
/// arguments: GRDB's `DatabaseError.description` may include the SQL and its arguments, so it
/// is never used for reasons or logs.
struct StoreFailure: Error, Sendable, Hashable {
    var reason: String
    /// Whether the connection should be closed and opened again before the next batch. A lock
    /// held by someone else clears by itself; an I/O error or a vanished file may not.
    var reopen: Bool
    /// The disk (or the file system's quota) is full.
    var diskFull = false

    init(_ error: any Error) {
        guard let dbError = error as? DatabaseError else {
            if let storeError = error as? StoreError {
                reason = storeError.description
            } else {
                reason = "unexpected error (\(type(of: error)))"
            }
            reopen = true
            return
        }
        let what: String
        switch dbError.resultCode {
        case .SQLITE_FULL: what = "disk full"
        case .SQLITE_READONLY: what = "database is read-only"
        case .SQLITE_BUSY, .SQLITE_LOCKED: what = "database is locked by another process"
        case .SQLITE_IOERR: what = "I/O error"
        case .SQLITE_CANTOPEN: what = "cannot open the database file"
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: what = "database file is damaged"
        case .SQLITE_PERM, .SQLITE_AUTH: what = "permission denied"
        case .SQLITE_CONSTRAINT: what = "a constraint of the store refused it"
        default: what = "SQLite error \(dbError.resultCode.rawValue)"
        }
        if let message = dbError.message, !message.isEmpty {
            reason = "\(what) (\(message))"
        } else {
            reason = what
        }
        // A lock clears when its holder lets go, a full disk when space returns: the connection
        // itself is fine. Anything else may have left it unusable.
        reopen = ![.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_FULL].contains(dbError.resultCode)
        diskFull = dbError.resultCode == .SQLITE_FULL
    }
}
