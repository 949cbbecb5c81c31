import DCRModel
import GRDB
import GRDBSQLite

/// One row of `events`, as the writer binds it.
///
/// Built where the event arrives (on its connection's event loop, spread over the cores), bound
/// by the writer with `sqlite3_bind_*`. GRDB's `StatementArguments` did the same through a
/// generic initialiser that this module cannot specialise: it was a sixth of the daemon's
/// ingest profile.
struct EventRow {
    enum Value {
        case null
        case integer(Int64)
        case text(String)
        case blob([UInt8])
        /// An event id, bound as its 16 big-endian bytes without an array in between.
        case id(EventID)
    }

    var values: [Value]

    init(count: Int) { values = Array(repeating: .null, count: count) }

    subscript(_ column: Int) -> Value {
        get { values[column] }
        set { values[column] = newValue }
    }

    /// Resets `statement` and binds every column, positions 1…count. SQLite copies text and
    /// blobs (`SQLITE_TRANSIENT`), so nothing here must outlive the call. Throws the first
    /// failing bind: a row never goes in with a column of the previous one.
    func bind(to statement: SQLiteStatement) throws {
        var code = sqlite3_reset(statement)
        for (i, value) in values.enumerated() where code == SQLITE_OK {
            let index = CInt(i + 1)
            switch value {
            case .null:
                code = sqlite3_bind_null(statement, index)
            case .integer(let n):
                code = sqlite3_bind_int64(statement, index, n)
            case .text(let s):
                var s = s
                code = s.withUTF8 { utf8 in
                    // A null pointer would bind NULL; an empty text is "".
                    utf8.withMemoryRebound(to: CChar.self) { chars in
                        guard let base = chars.baseAddress, !chars.isEmpty else { return sqlite3_bind_text(statement, index, "", 0, Self.transient) }
                        return sqlite3_bind_text(statement, index, base, CInt(chars.count), Self.transient)
                    }
                }
            case .id(let id):
                var bytes = (id.high.bigEndian, id.low.bigEndian)
                code = withUnsafeBytes(of: &bytes) { sqlite3_bind_blob(statement, index, $0.baseAddress, 16, Self.transient) }
            case .blob(let bytes):
                code = bytes.isEmpty
                    ? sqlite3_bind_zeroblob(statement, index, 0)
                    : bytes.withUnsafeBytes { sqlite3_bind_blob(statement, index, $0.baseAddress, CInt($0.count), Self.transient) }
            }
        }
        guard code == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "binding an event's columns") }
    }

    /// `SQLITE_TRANSIENT`, which the C header defines as a cast Swift does not import.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}
