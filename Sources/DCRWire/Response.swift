import DCRModel

/// What the daemon answers, as plain values.
public struct Response: Sendable, Hashable {
    public var id: UInt64
    /// Nil means OK.
    public var error: StatusError?
    public var body: Body

    public init(id: UInt64, _ body: Body = .none) {
        self.id = id
        self.error = nil
        self.body = body
    }

    public init(id: UInt64, error: StatusError) {
        self.id = id
        self.error = error
        self.body = .none
    }

    public var code: StatusCode { error?.code ?? .ok }

    /// The large answers are `indirect`: stored inline, a `StatusSnapshot` made every Response
    /// 360 bytes, and an Ack, the answer to nearly every request, was copied at that size from
    /// the store's completion to the socket (into the reply order, the event loop's mailbox, the
    /// pipeline's boxed write). Boxed, an Ack is a few words; the rare answers pay one allocation.
    public enum Body: Sendable, Hashable {
        case none
        indirect case welcome(Welcome)
        case pong(nonce: UInt64)
        /// `suspendedUntilMs`: an intake's client is suspended until then (0: not suspended).
        case ack(duplicate: Bool, suspendedUntilMs: Int64 = 0)
        indirect case status(StatusSnapshot)
        indirect case load(LoadSnapshot)
        indirect case report(Report)
        indirect case backup(BackupReceipt)
        indirect case history(EventHistory)
    }
}

/// The daemon's answer to a good Hello.
public struct Welcome: Sendable, Hashable {
    public var serverVersion: String
    public var maxFrameBytes: UInt32
    public var grantedRole: Role
    public var serverTimeMs: Int64

    public init(serverVersion: String, maxFrameBytes: UInt32, grantedRole: Role, serverTimeMs: Int64) {
        self.serverVersion = serverVersion
        self.maxFrameBytes = maxFrameBytes
        self.grantedRole = grantedRole
        self.serverTimeMs = serverTimeMs
    }
}
