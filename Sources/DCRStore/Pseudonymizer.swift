import Crypto
import DCRModel

/// Turns client codes into pseudonyms: HMAC-SHA256 of the code's UTF-8 under a secret 32-byte
/// key, the first 16 bytes as lower-case hex.
///
/// Client codes are short and structured (gender + letters + birth year: about 2^28 values), so
/// an unkeyed hash could be reversed by hashing every possible code. With a key kept apart from
/// the database (a 0600 file or a systemd credential) the pseudonyms in the store cannot be
/// turned back into codes, yet the same code always gives the same pseudonym, so distinct
/// clients can still be counted across restarts.
public struct Pseudonymizer: Sendable {
    /// Key length in bytes; keys of any other length are refused.
    public static let keyByteCount = 32

    private let key: SymmetricKey
    /// HMAC-SHA256 with the key already absorbed; copied for each pseudonym.
    private let keyed: HMAC<SHA256>

    /// Throws `KeyError.wrongKeySize` unless the key is exactly 32 bytes.
    public init(key: SymmetricKey) throws(KeyError) {
        guard key.bitCount == Self.keyByteCount * 8 else {
            throw .wrongKeySize(source: "the given key", bytes: key.bitCount / 8)
        }
        self.key = key
        self.keyed = HMAC<SHA256>(key: key)
    }

    /// The pseudonym of one client code. Stable for the same key and code.
    public func pseudonym(for code: ClientCode) -> Pseudonym {
        // From the keyed state (`keyed`), not the key: the key's padding blocks are hashed once,
        // not once per event (HMAC was 8% of the ingest profile).
        var mac = keyed
        var text = code.rawValue
        text.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return Pseudonym(text: Self.hex(mac.finalize().prefix(16)))
    }

    /// A public name for the key: HMAC-SHA256 of a fixed label under it, the first 8 bytes as
    /// hex. The store records it, so a start with another key is refused instead of silently
    /// counting every client twice; it reveals nothing about the key or any pseudonym.
    public var fingerprint: String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array("dcr pseudonym key fingerprint v1".utf8), using: key)
        return Self.hex(mac.prefix(8))
    }

    /// A stored pseudonym under this (export) key: HMAC-SHA256 of the pseudonym's text. The same
    /// client keeps one value within an export, so it can still be followed over time, but the
    /// value shares nothing with the store's and cannot be turned back without this key.
    public func rekeyed(_ stored: Pseudonym) -> Pseudonym {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(("export:" + stored.text).utf8), using: key)
        return Pseudonym(text: Self.hex(mac.prefix(16)))
    }

    /// The event with every raw client code replaced by its pseudonym; what the store accepts.
    public func pseudonymize(_ event: Event) -> Event {
        event.pseudonymized { pseudonym(for: $0) }
    }

    private static let digits = Array("0123456789abcdef".utf8)

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
