import DCRConfig
import DCRSystemd
import NIOSSL
#if canImport(Glibc)
import Glibc
#endif

/// The server certificate, its key and the terminals' CA, loaded into one TLS context.
///
/// Built whole or not at all: on reload a broken file leaves the material in force untouched, so
/// established connections and new ones keep working on the old certificate.
public struct TLSMaterial: Sendable {
    public let context: NIOSSLContext
    /// The server certificate's notAfter, for `dcrctl status` and the expiry warning.
    public let notAfterMs: Int64
    public let subject: String

    /// Loads the files the settings name; the key comes from the systemd credential when passed.
    public static func load(_ settings: TLSSettings, credentials: SystemdCredentials = .fromEnvironment()) throws -> TLSMaterial {
        guard let certificateFile = settings.certificateFile else { throw RunError("tls-certificate: a tls: listener needs a certificate file") }
        guard let caFile = settings.clientCAFile else { throw RunError("tls-client-ca: a tls: listener needs the terminals' CA file") }
        let keyFromCredential = credentials.path(of: settings.keyCredential)
        guard let keyFile = keyFromCredential ?? settings.keyFile else {
            throw RunError("tls-key: a tls: listener needs a key file or the systemd credential \(settings.keyCredential)")
        }
        let keyDirective = keyFromCredential == nil ? "tls-key" : "tls-key-credential \(settings.keyCredential)"
        let chain = try pem("tls-certificate", certificateFile) { try NIOSSLCertificate.fromPEMFile($0) }
        guard let leaf = chain.first else { throw RunError("tls-certificate \(certificateFile): no PEM certificate in the file") }
        let cas = try pem("tls-client-ca", caFile) { try NIOSSLCertificate.fromPEMFile($0) }
        guard !cas.isEmpty else { throw RunError("tls-client-ca \(caFile): no PEM certificate in the file") }
        let key = try pem(keyDirective, keyFile) { try NIOSSLPrivateKey(file: $0, format: .pem) }

        var configuration = TLSConfiguration.makeServerConfigurationWithMTLS(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key), trustRoots: .certificates(cas))
        // TLS 1.3 is preferred (the highest both sides speak wins); 1.2 is the floor.
        configuration.minimumTLSVersion = .tlsv12
        configuration.maximumTLSVersion = .tlsv13
        configuration.sendCANameList = true
        let context: NIOSSLContext
        do {
            context = try NIOSSLContext(configuration: configuration)
        } catch {
            throw RunError("\(keyDirective) \(keyFile): the key does not belong to tls-certificate \(certificateFile), or a file is unusable (\(error))")
        }
        let subject = leaf.subjectName.first { $0.type == .commonName }?.value ?? ""
        return TLSMaterial(context: context, notAfterMs: Int64(leaf.notValidAfter) * 1000, subject: subject)
    }

    private static func pem<T>(_ directive: String, _ path: String, _ body: (String) throws -> T) throws -> T {
        guard access(path, R_OK) == 0 else { throw RunError("\(directive) \(path): \(String(cString: strerror(errno)))") }
        do { return try body(path) } catch { throw RunError("\(directive) \(path): not a usable PEM file (\(error))") }
    }

    /// Days left before the certificate expires, by the daemon's clock (rounded down).
    public func daysLeft(nowMs: Int64) -> Int64 {
        (notAfterMs - nowMs) / 86_400_000
    }
}
