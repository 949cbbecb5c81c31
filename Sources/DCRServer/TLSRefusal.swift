import DCRModel
import NIOSSL

/// Why a TLS handshake was refused, in words an operator can act on: one per refused
/// connection, never the library's error stack, never anything the peer sent as data.
enum TLSRefusal: Error, Sendable, Equatable {
    case noClientCertificate
    case certificateNotAccepted
    case unknownName(String)
    case protocolTooOld
    case notTLS
    case other

    /// Reads BoringSSL's reason codes out of NIOSSL's handshake error.
    init(_ error: any Error) {
        if let refusal = error as? TLSRefusal { self = refusal; return }
        let text = "\(error)"
        if text.contains("PEER_DID_NOT_RETURN_A_CERTIFICATE") || text.contains("noCertificateToValidate") {
            self = .noClientCertificate
        } else if text.contains("CERTIFICATE_VERIFY_FAILED") {
            self = .certificateNotAccepted
        } else if text.contains("UNSUPPORTED_PROTOCOL") {
            self = .protocolTooOld
        } else if text.contains("WRONG_VERSION_NUMBER") || text.contains("HTTP_REQUEST") || text.contains("UNEXPECTED_RECORD")
                    || text.contains("RECORD_LENGTH_MISMATCH") || text.contains("HTTPS_PROXY_REQUEST") || text.contains("ENCRYPTED_LENGTH_TOO_LONG")
                    || text.contains("PACKET_LENGTH_TOO_LONG") || text.contains("UNKNOWN_PROTOCOL") {
            self = .notTLS
        } else {
            self = .other
        }
    }

    /// The label counted in Status's rejected frames.
    var reason: String {
        switch self {
        case .noClientCertificate: "tls_no_client_certificate"
        case .certificateNotAccepted: "tls_certificate_not_accepted"
        case .unknownName: "tls_unknown_name"
        case .protocolTooOld: "tls_protocol_too_old"
        case .notTLS: "tls_not_tls"
        case .other: "tls_handshake_failed"
        }
    }

    var explanation: String {
        switch self {
        case .noClientCertificate: "the terminal sent no client certificate"
        case .certificateNotAccepted: "the client certificate is expired, not yet valid, or not signed by tls-client-ca"
        case .unknownName(let name): "the client certificate's name \(name) has no tls-client line"
        case .protocolTooOld: "the peer offered only TLS older than 1.2"
        case .notTLS: "the peer did not start a TLS handshake (plain TCP on the TLS port?)"
        case .other: "the TLS handshake failed"
        }
    }
}
