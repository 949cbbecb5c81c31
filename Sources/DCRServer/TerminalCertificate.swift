import DCRConfig
import DCRModel
import NIOSSL

/// Who a verified client certificate says the terminal is: the name that matched a `tls-client`
/// line and the role that line grants. Sent down the pipeline once the handshake is complete.
struct TerminalCertificate: Sendable, Hashable {
    var name: String
    var role: Role

    /// The certificate's names in the order they are tried: DNS SANs, then the subject's CN.
    static func names(of certificate: NIOSSLCertificate) -> [String] {
        var names: [String] = []
        for san in certificate._subjectAlternativeNames() where san.nameType == .dnsName {
            names.append(san.contents.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) })
        }
        names += certificate.subjectName.filter { $0.type == .commonName }.map(\.value)
        return names
    }

    /// The rule for this certificate, or nil when none of its names is configured.
    static func matching(_ certificate: NIOSSLCertificate, _ settings: TLSSettings) -> TerminalCertificate? {
        settings.client(named: names(of: certificate)).map { TerminalCertificate(name: $0.name, role: $0.role) }
    }
}
