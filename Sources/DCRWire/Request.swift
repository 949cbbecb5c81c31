import DCRModel

/// What a client may ask, as plain values: the codec is the only place that sees protobuf-c.
public struct Request: Sendable, Hashable {
    /// Chosen by the client; every response to this request echoes it.
    public var id: UInt64
    public var body: Body

    public init(id: UInt64, _ body: Body) {
        self.id = id
        self.body = body
    }

    public enum Body: Sendable, Hashable {
        case hello(Hello)
        case ping(nonce: UInt64)
        case cancel(watchID: UInt64)
        case event(Event)
        case status
        case load(site: String?)
        case report(ReportQuery)
        case watch(intervalMs: UInt32, site: String?)
        case reload
        /// Admin: a verified copy of the store, written by the daemon to this absolute path.
        case backup(to: String)
        /// An event and every correction of it (`dcrctl history`).
        case history(EventID)
        /// The frame decoded, but a field cannot become a value (a 15-byte event id, a date that
        /// does not exist, bad UTF-8). Answered INVALID_ARGUMENT; the connection stays open.
        case invalid(StatusError)
        /// No body, or one this build does not know (a newer client): UNIMPLEMENTED.
        case unknown
    }
}

/// The first request of every conversation.
public struct Hello: Sendable, Hashable {
    public var protocolVersion: UInt32
    public var clientName: String
    public var role: Role
    /// A token; required on TCP, ignored on Unix sockets (there the peer's uid/gid decide).
    public var credential: String

    public static let currentProtocolVersion: UInt32 = 1

    public init(protocolVersion: UInt32 = Hello.currentProtocolVersion, clientName: String,
                role: Role, credential: String = "") {
        self.protocolVersion = protocolVersion
        self.clientName = clientName
        self.role = role
        self.credential = credential
    }
}

extension Hello: CustomStringConvertible {
    /// Never prints the credential.
    public var description: String {
        "Hello(v\(protocolVersion), \(clientName), role \(role.label)\(credential.isEmpty ? "" : ", credential given"))"
    }
}
