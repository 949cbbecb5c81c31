import CSystemd
#if canImport(Glibc)
import Glibc
#endif

/// Socket activation: the sockets systemd passed (`LISTEN_FDS`, `LISTEN_FDNAMES`), so that the
/// daemon serves them instead of binding its own and no connection made while it starts is lost.
public enum InheritedSockets {
    /// Takes the inherited sockets, in the order systemd passed them (from fd 3 on). Empty when
    /// the daemon was not socket-activated. The descriptors are marked close-on-exec.
    ///
    /// - Parameter unsetEnvironment: removes `LISTEN_*` so that a second call, or a child
    ///   process, does not claim the same descriptors.
    public static func take(unsetEnvironment: Bool = true) throws(SystemdError) -> [InheritedSocket] {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        let count = sd_listen_fds_with_names(unsetEnvironment ? 1 : 0, &names)
        // Both the strings and the array are malloc'ed by libsystemd and ours to free.
        defer {
            if let names {
                var cursor = names
                while let name = cursor.pointee {
                    free(name)
                    cursor += 1
                }
                free(names)
            }
        }
        if count < 0 { throw SystemdError(operation: "sd_listen_fds_with_names", errno: -count) }
        var sockets: [InheritedSocket] = []
        for index in 0..<Int(count) {
            let fd = SD_LISTEN_FDS_START + Int32(index)
            let name = names.flatMap { $0[index] }.map { String(cString: $0) } ?? "unknown"
            sockets.append(InheritedSocket(fd: fd, name: name, family: family(of: fd)))
        }
        return sockets
    }

    /// Classifies a descriptor the way the daemon needs it: a listening stream socket, Unix or TCP.
    public static func family(of fd: Int32) -> InheritedSocket.Family {
        let stream = Int32(SOCK_STREAM.rawValue)
        if sd_is_socket_unix(fd, stream, 1, nil, 0) > 0 { return .unix }
        if sd_is_socket_inet(fd, Int32(AF_UNSPEC), stream, 1, 0) > 0 { return .tcp }
        return .other
    }
}
