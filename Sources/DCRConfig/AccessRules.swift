import DCRModel

/// A TCP terminal's credential: a per-terminal token and the highest role it grants.
public struct TerminalToken: Sendable, Hashable {
    public var name: String
    public var role: Role
    /// The secret itself, read from the token file; never logged.
    public var secret: [UInt8]

    public init(name: String, role: Role, secret: [UInt8]) {
        self.name = name
        self.role = role
        self.secret = secret
    }
}

/// Which role a local peer may have, by its uid or gid (`SO_PEERCRED`).
public struct UnixRoleRule: Sendable, Hashable {
    public enum Subject: Sendable, Hashable {
        case uid(UInt32)
        case gid(UInt32)
        case anyone
    }
    public var subject: Subject
    public var role: Role

    public init(subject: Subject, role: Role) {
        self.subject = subject
        self.role = role
    }
}

/// A terminal on TLS: the name its client certificate carries (CN or a DNS SAN) and the highest
/// role that name is granted (`tls-client NAME ROLE`).
public struct TLSClientRule: Sendable, Hashable {
    public var name: String
    public var role: Role

    public init(name: String, role: Role) {
        self.name = name
        self.role = role
    }
}
