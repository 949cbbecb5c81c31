import DCRConfig
import DCRModel
import DCRWire

/// How a connection reached the daemon, which decides how a Hello is judged.
public enum Transport: Sendable, Hashable {
    /// A local peer, identified by the kernel (`SO_PEERCRED`).
    case unix(uid: UInt32, gid: UInt32)
    /// A network peer: only a valid token grants a role.
    case tcp
    /// A network peer whose client certificate was verified in the TLS handshake: its name
    /// grants the role; a token in Hello, if sent, must be valid too and may only narrow it.
    case tls(name: String, role: Role)
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
            guard let token = matchingToken(hello.credential, c) else {
                return .failure(StatusError(.unauthenticated, "hello.credential: not a valid token"))
            }
            allowed = token.role
            who = "token \(token.name)"
        case .tls(let name, let role):
            allowed = role
            who = "certificate \(name)"
            if !hello.credential.isEmpty {
                guard let token = matchingToken(hello.credential, c) else {
                    return .failure(StatusError(.unauthenticated, "hello.credential: not a valid token (on TLS a token is optional, but one that is sent must be valid)"))
                }
                guard allows(role, token.role) || allows(token.role, role) else {
                    return .failure(StatusError(.permissionDenied, "hello.credential: token \(token.name) (\(token.role.label)) and certificate \(name) (\(role.label)) grant no common role"))
                }
                if !allows(role, token.role) {
                    // The narrower of the two grants.
                    return admitWanted(hello, allowed: role, who: who)
                }
                return admitWanted(hello, allowed: token.role, who: "\(who) with token \(token.name)")
            }
        }
        return admitWanted(hello, allowed: allowed, who: who)
    }

    private static func admitWanted(_ hello: Hello, allowed: Role, who: String) -> Result<Role, StatusError> {
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

    /// The configured token equal to `credential`, compared in constant time against each.
    private static func matchingToken(_ credential: String, _ c: DaemonConfiguration) -> TerminalToken? {
        let given = Array(credential.utf8)
        var match: TerminalToken?
        for token in c.tokens where constantTimeEqual(token.secret, given) { match = token }
        return match
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
    ///
    /// The one role table. It has no `default` on purpose: a new request kind does not compile
    /// until someone has decided here who may send it. (With a `default`, Backup once needed no
    /// role at all: any terminal token could have the daemon copy the whole store.)
    static func requiredRole(_ body: Request.Body) -> Role? {
        switch body {
        case .hello, .ping, .cancel, .invalid, .unknown: nil
        case .event: .terminal
        case .status, .load, .report, .watch, .history: .monitor
        case .reload, .backup: .admin
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
