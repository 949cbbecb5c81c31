import DCRConfig
import DCRModel
import DCRWire

/// How a connection reached the daemon, which decides how a Hello is judged.
public enum Transport: Sendable, Hashable {
    /// A local peer, identified by the kernel (`SO_PEERCRED`).
    case unix(uid: UInt32, gid: UInt32)
    /// A network peer: only a valid token grants a role.
    case tcp
}

/// Judges a Hello: protocol version, then the role the peer may have.
enum Admission {
    static func admit(_ hello: Hello, transport: Transport, configuration c: DaemonConfiguration,
                      daemonUID: UInt32) -> Result<Role, StatusError> {
        guard hello.protocolVersion == Hello.currentProtocolVersion else {
            return .failure(StatusError(.failedPrecondition,
                "hello.protocol_version: \(hello.protocolVersion) is not supported (this daemon speaks \(Hello.currentProtocolVersion))"))
        }
        let allowed: Role
        let who: String
        switch transport {
        case .unix(let uid, let gid):
            allowed = c.unixRole(uid: uid, gid: gid, daemonUID: daemonUID)
            who = "uid \(uid)"
        case .tcp:
            guard !hello.credential.isEmpty else {
                return .failure(StatusError(.unauthenticated, "hello.credential: required on TCP (a terminal token)"))
            }
            let given = Array(hello.credential.utf8)
            var match: TerminalToken?
            for token in c.tokens where constantTimeEqual(token.secret, given) { match = token }
            guard let token = match else {
                return .failure(StatusError(.unauthenticated, "hello.credential: not a valid token"))
            }
            allowed = token.role
            who = "token \(token.name)"
        }
        let wanted = hello.role == .unspecified ? allowed : hello.role
        guard allows(allowed, wanted) else {
            return .failure(StatusError(.permissionDenied,
                "hello.role: \(wanted.label) is not granted to \(who) (granted: \(allowed.label))"))
        }
        return .success(wanted)
    }

    /// Admin ⊇ monitor; terminal is its own thing, which an admin may also act as.
    static func allows(_ granted: Role, _ wanted: Role) -> Bool {
        switch (granted, wanted) {
        case (.admin, _): true
        case (.monitor, .monitor): true
        case (.monitor, .terminal): true
        case (.terminal, .terminal): true
        default: false
        }
    }

    /// Compares every byte whatever the first difference, so timing tells nothing about a token.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<max(a.count, b.count) {
            diff |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return diff == 0
    }

    /// The role a request needs, or nil when any admitted connection may send it.
    static func requiredRole(_ body: Request.Body) -> Role? {
        switch body {
        case .event: .terminal
        case .status, .load, .report, .watch, .history: .monitor
        case .reload: .admin
        default: nil
        }
    }

    static func permits(_ role: Role, _ body: Request.Body) -> Bool {
        guard let needed = requiredRole(body) else { return true }
        switch needed {
        case .terminal: return role == .terminal || role == .admin
        case .monitor: return role == .monitor || role == .admin
        case .admin: return role == .admin
        case .unspecified: return true
        }
    }
}
