import NIOCore
import NIOSSL

/// What a client needs to speak TLS to `dcrd`: the CA that signed the daemon's certificate, and
/// the terminal's own certificate and key (mutual TLS), all PEM files.
public struct TLSClientFiles: Sendable, Hashable {
    public var caFile: String
    public var certificateFile: String?
    public var keyFile: String?

    public init(caFile: String, certificateFile: String? = nil, keyFile: String? = nil) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
    }

    /// A client context: the daemon's certificate must chain to `caFile` and name the host
    /// connected to (DNS name or IP address SAN); TLS 1.2 at least.
    public func makeContext() throws(ClientError) -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        do {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
        } catch {
            throw ClientError.badTLSFile("--ca \(caFile): not a readable PEM certificate file")
        }
        if let certificateFile {
            do {
                configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificateFile).map { .certificate($0) }
            } catch {
                throw ClientError.badTLSFile("--cert \(certificateFile): not a readable PEM certificate file")
            }
            guard let keyFile else { throw ClientError.badTLSFile("--cert needs --key (the certificate's private key)") }
            do {
                configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyFile, format: .pem))
            } catch {
                throw ClientError.badTLSFile("--key \(keyFile): not a readable PEM private key")
            }
        } else if keyFile != nil {
            throw ClientError.badTLSFile("--key needs --cert (the terminal's certificate)")
        }
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ClientError.badTLSFile("--key \(keyFile ?? ""): does not belong to --cert \(certificateFile ?? "")")
        }
    }

    /// The name sent as SNI and checked against the certificate; IP addresses are checked
    /// against the certificate's IP SANs without SNI.
    static func serverHostname(_ host: String) -> String? {
        let isIP = host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
        return isIP ? nil : host
    }
}
