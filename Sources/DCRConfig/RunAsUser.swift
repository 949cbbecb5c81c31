#if canImport(Glibc)
import Glibc
#endif

/// The user the daemon will run as, so that `dcrd --check-config --user dcr`, run by root before
/// a start, finds a key or token file that root can read but the daemon cannot. Root passes every
/// permission check, which is exactly why checking as root proves nothing.
public struct RunAsUser: Sendable, Equatable, CustomStringConvertible {
    public var name: String
    public var uid: UInt32
    /// The primary group and every supplementary group.
    public var groups: [UInt32]

    public init(name: String, uid: UInt32, groups: [UInt32]) {
        self.name = name
        self.uid = uid
        self.groups = groups
    }

    public var description: String { name }

    /// The user this process runs as (as systemd's `User=` sets it for `ExecStartPre=`).
    public static func current() -> RunAsUser {
        let uid = getuid()
        let name = getpwuid(uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid \(uid)"
        var groups = [UInt32(getgid())]
        let count = getgroups(0, nil)
        if count > 0 {
            var list = [gid_t](repeating: 0, count: Int(count))
            let n = getgroups(count, &list)
            if n > 0 { for i in 0..<Int(n) { groups.append(UInt32(list[i])) } }
        }
        return RunAsUser(name: name, uid: UInt32(uid), groups: groups)
    }

    /// A user from the password database by name or number, with its groups; nil when unknown.
    public static func named(_ text: String) -> RunAsUser? {
        let entry = UInt32(text).flatMap { getpwuid(uid_t($0)) } ?? getpwnam(text)
        guard let entry else { return nil }
        let name = String(cString: entry.pointee.pw_name)
        let uid = UInt32(entry.pointee.pw_uid)
        let primary = entry.pointee.pw_gid
        var count: Int32 = 64
        var list = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(entry.pointee.pw_name, primary, &list, &count) < 0 {
            list = [gid_t](repeating: 0, count: Int(count))
            _ = getgrouplist(entry.pointee.pw_name, primary, &list, &count)
        }
        var groups = [UInt32(primary)]
        for i in 0..<min(Int(max(count, 0)), list.count) { groups.append(UInt32(list[i])) }
        return RunAsUser(name: name, uid: uid, groups: groups)
    }

    /// Why this user cannot open `path` with `access` (R_OK, W_OK or both, plus X_OK on every
    /// directory on the way); nil when it can. Decided from the file modes, the way the kernel
    /// decides for a process without capabilities (ACLs are not consulted).
    public func denial(of path: String, access wanted: Int32) -> String? {
        if uid == 0 { return nil }
        var prefix = path.hasPrefix("/") ? "" : "."
        let parts = path.split(separator: "/")
        for part in parts.dropLast() {
            prefix += "/" + part
            if let reason = check(prefix, X_OK) { return reason }
        }
        return check(path, wanted)
    }

    private func check(_ path: String, _ wanted: Int32) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return "\(path): \(String(cString: strerror(errno)))" }
        let mode = UInt32(info.st_mode)
        let shift: UInt32
        if info.st_uid == uid { shift = 6 } else if groups.contains(UInt32(info.st_gid)) { shift = 3 } else { shift = 0 }
        let bits = (mode >> shift) & 0o7
        var need: UInt32 = 0
        if wanted & R_OK != 0 { need |= 4 }
        if wanted & W_OK != 0 { need |= 2 }
        if wanted & X_OK != 0 { need |= 1 }
        guard bits & need != need else { return nil }
        let owner = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) } ?? "\(info.st_uid)"
        let group = getgrgid(info.st_gid).map { String(cString: $0.pointee.gr_name) } ?? "\(info.st_gid)"
        let what = wanted & X_OK != 0 && wanted & (R_OK | W_OK) == 0 ? "enter" : wanted & W_OK != 0 ? "write" : "read"
        return "user \(name) cannot \(what) \(path) (mode \(String(mode & 0o7777, radix: 8)), owner \(owner):\(group))"
    }
}
