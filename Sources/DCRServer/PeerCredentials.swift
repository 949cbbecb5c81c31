import NIOCore
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif

/// The uid and gid of a Unix-socket peer, from the kernel (`SO_PEERCRED`), not from the peer.
enum PeerCredentials {
    /// Linux's `struct ucred` (hidden behind _GNU_SOURCE in the Glibc module): pid, uid, gid.
    struct UCred {
        var pid: Int32 = 0
        var uid: UInt32 = 0
        var gid: UInt32 = 0
    }

    static let daemonUID: UInt32 = getuid()

    static func of(_ channel: Channel) -> (uid: UInt32, gid: UInt32)? {
        guard let provider = channel as? SocketOptionProvider else { return nil }
        let future: EventLoopFuture<UCred> = provider.unsafeGetSocketOption(
            level: .socket, name: NIOBSDSocket.Option(rawValue: SO_PEERCRED))
        // On the channel's event loop the option is read at once and the future is already
        // fulfilled, so the callback runs before `whenSuccess` returns.
        let result = NIOLockedValueBox<(uid: UInt32, gid: UInt32)?>(nil)
        future.whenSuccess { cred in result.withLockedValue { $0 = (cred.uid, cred.gid) } }
        return result.withLockedValue { $0 }
    }
}
