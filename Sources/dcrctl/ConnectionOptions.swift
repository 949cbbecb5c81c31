import ArgumentParser
import DCRClient
import DCRConfig
import DCRModel
import DCRWire
#if canImport(Glibc)
import Glibc
#endif

/// sysexits.h codes, so scripts can tell "daemon down" from "you may not" from "bad input".
enum Exit {
    static let unavailable = ExitCode(69)  // EX_UNAVAILABLE: daemon not reachable
    static let noPermission = ExitCode(77)  // EX_NOPERM: role or socket permission
    static let dataError = ExitCode(65)  // EX_DATAERR: the daemon refused the input
    static let usage = ExitCode(64)  // EX_USAGE
    static let tempFail = ExitCode(75)  // EX_TEMPFAIL: the daemon cannot store now
}

/// How to reach the daemon; shared by every subcommand.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The daemon's Unix socket (default: \(DefaultPaths.socketPath), as dcrd uses).", valueName: "path"))
    var socket: String?

    @Option(name: .long, help: ArgumentHelp("Connect over the network instead: tls:HOST:PORT (with --ca, and --cert/--key for a client certificate) or tcp:HOST:PORT (plain, for loopback).", valueName: "address"))
    var connect: String?

    @Option(name: .long, help: ArgumentHelp("With --connect tls:…: the CA file (PEM) that signed the daemon's certificate.", valueName: "path"))
    var ca: String?

    @Option(name: .long, help: ArgumentHelp("With --connect tls:…: this terminal's certificate (PEM), signed by the daemon's tls-client-ca.", valueName: "path"))
    var cert: String?

    @Option(name: .long, help: ArgumentHelp("With --cert: the certificate's private key (PEM).", valueName: "path"))
    var key: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("File holding the token for TCP connections.", valueName: "path"))
    var tokenFile: String?

    /// The daemon's address and, for `tls:`, the files this side needs.
    var address: (ListenAddress, TLSClientFiles?) {
        get throws {
            if let connect {
                switch ListenAddress(parsing: connect) {
                case let address? where address.isTCP:
                    guard ca == nil && cert == nil && key == nil else {
                        throw ValidationError("--ca, --cert and --key go with --connect tls:HOST:PORT, not tcp:")
                    }
                    return (address, nil)
                case let address? where address.isTLS:
                    guard let ca else { throw ValidationError("--connect \(connect): TLS needs --ca FILE, the CA that signed the daemon's certificate") }
                    return (address, TLSClientFiles(caFile: ca, certificateFile: cert, keyFile: key))
                case let address? where address.isHTTP:
                    throw ValidationError("--connect \(connect): http: is the daemon's read-only side for Prometheus and the wall screen; dcrctl connects with tls:HOST:PORT or tcp:HOST:PORT")
                default:
                    throw ValidationError("--connect \(connect): expected tls:HOST:PORT or tcp:HOST:PORT")
                }
            }
            guard ca == nil && cert == nil && key == nil else {
                throw ValidationError("--ca, --cert and --key go with --connect tls:HOST:PORT")
            }
            return (.unix(path: socket ?? DefaultPaths.socketPath), nil)
        }
    }

    /// Where and how to connect: the address and the Hello to say there.
    func endpoint(role: Role) throws -> Endpoint {
        let (address, tls) = try self.address
        var credential = ""
        if let tokenFile {
            guard let t = ConfigurationFile.readText(tokenFile) else {
                fail("cannot read token file \(tokenFile)")
                throw Exit.usage
            }
            credential = t.trimmingCharacters()
        }
        return Endpoint(address: address, tls: tls, hello: Hello(clientName: "dcrctl", role: role, credential: credential))
    }

    /// Connects with the given role, turning every failure into one line on stderr and an exit code.
    func open(role: Role) async throws -> DaemonConnection {
        let endpoint = try endpoint(role: role)
        do {
            return try await endpoint.connect()
        } catch let error as ClientError {
            fail(error.description)
            throw exitStatus(for: error)
        }
    }
}

/// A resolved address and Hello, so that streaming commands can reconnect from any task.
struct Endpoint: Sendable {
    var address: ListenAddress
    var tls: TLSClientFiles?
    var hello: Hello

    func connect() async throws -> DaemonConnection {
        try await DaemonConnection.connect(to: address, tls: tls, hello: hello)
    }
}

/// Whether a failure may pass by itself (the daemon restarting) or needs a person (permissions,
/// a refused request): streaming commands retry the first kind and stop on the second.
func isTransient(_ error: any Error) -> Bool {
    guard let e = error as? ClientError else { return true }
    switch e {
    case .unreachable, .connectionClosed: return true
    case .refused(let s): return s.code == .unavailable
    case .permissionDenied, .protocolViolation, .badTLSFile, .tlsFailed: return false
    }
}

func exitStatus(for error: ClientError) -> ExitCode {
    switch error {
    case .unreachable, .connectionClosed: Exit.unavailable
    case .permissionDenied: Exit.noPermission
    case .refused(let e) where e.code == .permissionDenied || e.code == .unauthenticated: Exit.noPermission
    case .refused(let e) where e.code == .unavailable: Exit.tempFail
    case .refused: Exit.dataError
    case .protocolViolation: ExitCode(1)
    case .badTLSFile: Exit.usage
    case .tlsFailed: Exit.noPermission
    }
}

/// Prints one line to stderr, prefixed with the program's name.
func fail(_ message: String) {
    var bytes = Array("dcrctl: \(message)\n".utf8)
    _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}

/// Turns an error answer into a line and an exit code; returns the response when it is OK.
func checked(_ response: Response) throws -> Response {
    if let e = response.error {
        fail("\(e.code): \(e.message)")
        throw exitStatus(for: .refused(e))
    }
    return response
}

extension String {
    func trimmingCharacters() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

/// Runs `body` once, or again every `seconds` until interrupted (the `--watch` option).
func repeating(every seconds: Double?, _ body: () async throws -> Void) async throws {
    repeat {
        try await body()
        if let seconds { try await Task.sleep(for: .milliseconds(Int(seconds * 1000))) }
    } while seconds != nil
}
