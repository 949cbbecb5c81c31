import DCRConfig
#if canImport(Glibc)
import Glibc
#endif
import DCRStore
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import Synchronization

/// Copies every stored event, in store order, to the central PostgreSQL; exactly once by
/// construction: the central primary key is the event id (`ON CONFLICT DO NOTHING` takes a
/// resend once), and the cursor (the last sequence committed centrally) lives in the local store
/// and moves only after the central commit.
///
/// It never touches the acknowledgement path: it reads the store on a connection of its own and
/// runs as its own task, so a slow or absent PostgreSQL delays nobody. While PostgreSQL is away
/// it retries with a doubling pause (with jitter, up to `forward-retry-max`), one log line each.
public final class Forwarder: Sendable {
    private let settings: ForwardSettings
    private let store: EventStore
    private let password: String?
    private let source: String
    private let logger: Logger
    private let nowMs: @Sendable () -> Int64
    private let state = Mutex(ForwardStatus())
    private let tls: NIOSSLContext?
    /// What postgres-nio logs with: never below info, because at debug and trace it logs the
    /// server's error details, which can quote a row (a pseudonym) back.
    private let libraryLogger: Logger

    /// `source` names this daemon in the central table; `password` comes from the credential or
    /// the file; `nowMs` is the daemon's clock (for the lag in seconds).
    public init(settings: ForwardSettings, store: EventStore, password: String?, source: String,
                logger: Logger, nowMs: @escaping @Sendable () -> Int64) throws {
        self.settings = settings
        self.store = store
        self.password = password
        self.source = source
        self.logger = logger
        self.nowMs = nowMs
        var quieter = logger
        quieter.logLevel = max(logger.logLevel, .info)
        self.libraryLogger = quieter
        switch settings.sslMode {
        case .disable:
            tls = nil
        case .require, .verifyFull:
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.minimumTLSVersion = .tlsv12
            configuration.certificateVerification = settings.sslMode == .verifyFull ? .fullVerification : .none
            if let ca = settings.caFile {
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca))
            }
            tls = try NIOSSLContext(configuration: configuration)
        }
        state.withLock { $0.target = settings.target }
        // Before retention's first pass: nothing after the stored cursor may be deleted (0, so
        // nothing at all, until the cursor can be read).
        store.setRetentionCeiling((try? store.forwardCursor(target: settings.target)) ?? 0)
    }

    public var status: ForwardStatus { state.withLock { $0 } }

    /// Forwards until cancelled.
    public func run() async {
        var connection: PostgresConnection?
        var reader: ForwardReader?
        var pause = Duration.milliseconds(500)
        var failing = false
        // PostgreSQL's wire protocol counts a statement's parameters in 16 bits.
        let batch = min(settings.batch, Int(UInt16.max) / (EventStore.forwardColumns.count + 1))
        var cursor: Int64?
        var saved = CursorSaver(every: .seconds(5))
        while !Task.isCancelled {
            do {
                if cursor == nil {
                    let from = try store.forwardCursor(target: settings.target)
                    cursor = from
                    saved.loaded(from)
                    store.setRetentionCeiling(from)
                    logger.notice("forwarding stored events", metadata: ["target": "\(settings.target)", "from_seq": "\(from)"])
                }
                let after = cursor!
                if reader == nil { reader = try store.forwardReader() }
                let rows = try store.forwardRows(after: after, limit: batch, reader: reader!)
                try updateLag(cursor: after, reader: reader!)
                if rows.isEmpty {
                    try saved.saveIfBehind(after, store: store, target: settings.target)
                    try await Task.sleep(for: .milliseconds(settings.intervalMs))
                    continue
                }
                // A connection the server ended while it was idle (a restart) is made again here:
                // a query sent on it would get no answer (postgres-nio 1.33 misses that end).
                if let c = connection, c.isClosed { connection = nil }
                if connection == nil { connection = try await connect() }
                let open = connection!
                try await withDeadline(.seconds(settings.timeoutSeconds), step: "insert of \(rows.count) events",
                                       abandon: { Self.drop(open) }) { [self] in
                    try await insert(rows, on: open)
                }
                let last = rows[rows.count - 1].seq
                cursor = last
                store.setRetentionCeiling(last)
                try saved.saveIfDue(last, store: store, target: settings.target)
                state.withLock {
                    $0.forwarded += UInt64(rows.count)
                    $0.lastError = ""
                }
                if failing {
                    failing = false
                    logger.notice("forwarding works again", metadata: ["target": "\(settings.target)", "seq": "\(last)"])
                }
                pause = .milliseconds(500)
            } catch is CancellationError {
                break
            } catch {
                // Not awaited: a connection the server dropped may never report its close.
                if let c = connection { Self.drop(c) }
                connection = nil
                if Self.isLocal(error) { reader?.close(); reader = nil }
                let why = Self.describe(error)
                failing = true
                let jittered = pause * Double.random(in: 0.75...1.25)
                state.withLock {
                    $0.lastError = why
                    $0.lastErrorAtMs = nowMs()
                    $0.failures += 1
                }
                if let r = reader, let c = cursor { try? updateLag(cursor: c, reader: r) }
                logger.error("forward: \(why); retrying in \(Self.seconds(jittered)) s (terminals are not affected)",
                             metadata: ["target": "\(settings.target)"])
                do { try await Task.sleep(for: jittered) } catch { break }
                pause = min(pause * 2, .seconds(settings.retryMaxSeconds))
            }
        }
        if let c = cursor { try? saved.saveIfBehind(c, store: store, target: settings.target) }
        if let c = connection { Self.drop(c) }
        reader?.close()
    }

    private func updateLag(cursor: Int64, reader: ForwardReader) throws {
        let backlog = try store.forwardBacklog(after: cursor, reader: reader)
        let now = nowMs()
        state.withLock {
            $0.lagEvents = UInt64(max(0, backlog.lastSeq - cursor))
            $0.lagSeconds = backlog.oldestReceivedMs.map { Double(max(0, now - $0)) / 1000 } ?? 0
        }
    }

    private func connect() async throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: settings.host, port: settings.port, username: settings.user, password: password,
            database: settings.database, tls: tls.map { .require($0) } ?? .disable)
        configuration.options.connectTimeout = .seconds(settings.timeoutSeconds)
        // The name to verify (and send as SNI) only for a host name: TLS has no SNI for an IP
        // address (NIOSSL refuses one), and without a name NIOSSL checks the certificate's IP
        // address entries against the address connected to.
        if tls != nil, settings.sslMode == .verifyFull, !Self.isIPAddress(settings.host) {
            configuration.options.tlsServerName = settings.host
        }
        return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: libraryLogger)
    }

    /// One statement, so one transaction: the batch is committed whole or not at all.
    private func insert(_ rows: [ForwardRow], on connection: PostgresConnection) async throws {
        let columns = ["source"] + EventStore.forwardColumns.map { $0 == "seq" ? "source_seq" : $0 }
        let casts = ["text"] + EventStore.forwardColumns.map(Self.centralType)
        var binds = PostgresBindings(capacity: rows.count * columns.count)
        var sql = "INSERT INTO dcr_events (\(columns.joined(separator: ", "))) VALUES "
        var n = 0
        for (r, row) in rows.enumerated() {
            sql += r == 0 ? "(" : ", ("
            for (i, cast) in casts.enumerated() {
                n += 1
                sql += (i == 0 ? "" : ", ") + "$\(n)::\(cast)"
                if i == 0 {
                    binds.append(source)
                    continue
                }
                switch row.values[i - 1] {
                case .null: binds.appendNull()
                case .integer(let v): binds.append(v)
                case .text(let s): binds.append(s)
                case .id(let bytes): binds.append(Self.uuidText(bytes))
                }
            }
            sql += ")"
        }
        // No conflict target: naming (event_id) would need SELECT on it, and the forwarder's role
        // may only INSERT. The primary key is the table's only unique constraint, so this is the
        // same test; NOT NULL and type errors still fail the batch.
        sql += " ON CONFLICT DO NOTHING"
        // BEGIN and COMMIT as statements of their own: the cursor may only move once the COMMIT
        // itself succeeded (an implicit transaction's commit failure would come after the
        // INSERT had been reported done, for example with a deferred constraint the city adds).
        try await connection.query("BEGIN", logger: libraryLogger)
        try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: libraryLogger)
        try await connection.query("COMMIT", logger: libraryLogger)
    }

    /// The central column types (Deploy/postgres/schema.sql).
    static func centralType(_ column: String) -> String {
        switch column {
        case "event_id", "target_id": "uuid"
        case "site", "client", "corrected_by", "amended_site": "text"
        case "local_date", "amended_local_date": "date"
        case "seq", "occurred_at_ms", "received_at_ms", "suspension_from_ms", "suspension_until_ms", "amended_occurred_at_ms": "bigint"
        case "booth", "municipality", "amended_booth": "integer"
        default: "smallint"
        }
    }

    static func uuidText(_ b: [UInt8]) -> String {
        let hex = b.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        guard hex.count == 32 else { return hex }
        let h = Array(hex)
        return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20]) + "-" + String(h[20..<32])
    }

    /// One line an operator can act on. postgres-nio hides details in its description (to keep
    /// queries and values out of logs), so the server's own message or the transport's error is
    /// taken instead; neither carries an event's values.
    static func describe(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let message = e.serverInfo?[.message] {
                let state = e.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
                return "the server refused: \(message)\(state)"
            }
            if let c = e.underlying as? NIOConnectionError { return "cannot reach the server \(c.host):\(c.port): \(Self.reasons(c))" }
            if let underlying = e.underlying { return "cannot reach the server: \(underlying)" }
            return "PostgreSQL connection error: \(e.code)"
        }
        if error is StoreFailureForForward { return "cannot read the local store: \(error)" }
        if let e = error as? ForwardTimeout { return e.description }
        return "\(error)"
    }

    /// What went wrong per address tried, in the system's words ("Connection refused"), instead
    /// of NIO's nested description.
    static func reasons(_ c: NIOConnectionError) -> String {
        if let dns = c.dnsAError ?? c.dnsAAAAError { return "the name does not resolve (\(dns))" }
        let each = c.connectionErrors.map { failure -> String in
            let why = (failure.error as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(failure.error)"
            // The address only when a name gave it (it may give several).
            let address = Self.isIPAddress(c.host) ? nil : failure.target.ipAddress
            return (address.map { "\($0): " } ?? "") + why
        }
        return each.isEmpty ? "no address to connect to" : each.joined(separator: "; ")
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    /// Failures of the local store's read connection, which call for a new one (PostgreSQL's
    /// call for a new connection there).
    static func isLocal(_ error: any Error) -> Bool { error is StoreFailureForForward }

    /// Starts closing without waiting for it: a connection the server dropped may never report
    /// the end of its close. The callback keeps the connection alive until it is closed
    /// (postgres-nio asserts that none is freed open).
    static func drop(_ connection: PostgresConnection) {
        let closing: EventLoopFuture<Void> = connection.close()
        closing.whenComplete { _ in withExtendedLifetime(connection) {} }
    }

    static func seconds(_ d: Duration) -> String {
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return String(format: "%.1f", Double(ms) / 1000)
    }
}

/// Errors from the local store (as opposed to PostgreSQL's), which need a new read connection.
typealias StoreFailureForForward = StoreError
