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
    /// HMAC's two hashes with their key blocks (the key XOR ipad, XOR opad) already absorbed;
    /// copied for each pseudonym. HMAC-SHA256 spelled out (RFC 2104) rather than `HMAC<SHA256>`,
    /// whose `update` is generic over `DataProtocol` and ran unspecialised here, walking the
    /// bytes as a collection of regions: a pseudonym per event made that a tenth of the event
    /// loop's own time.
    private let inner: SHA256
    private let outer: SHA256

    /// Throws `KeyError.wrongKeySize` unless the key is exactly 32 bytes.
    public init(key: SymmetricKey) throws(KeyError) {
        guard key.bitCount == Self.keyByteCount * 8 else {
            throw .wrongKeySize(source: "the given key", bytes: key.bitCount / 8)
        }
        self.key = key
        var inner = SHA256(), outer = SHA256()
        key.withUnsafeBytes { k in
            var block = [UInt8](repeating: 0, count: SHA256.blockByteCount)
            for (i, b) in k.enumerated() { block[i] = b }
            block.withUnsafeMutableBytes { b in
                for i in b.indices { b[i] ^= 0x36 }
                inner.update(bufferPointer: UnsafeRawBufferPointer(b))
                for i in b.indices { b[i] ^= 0x36 ^ 0x5c }
                outer.update(bufferPointer: UnsafeRawBufferPointer(b))
            }
        }
        self.inner = inner
        self.outer = outer
    }

    /// The pseudonym of one client code. Stable for the same key and code.
    public func pseudonym(for code: ClientCode) -> Pseudonym {
        // From the keyed states, not the key: the key's blocks are hashed once, not once per
        // event (HMAC was 8% of the ingest profile).
        var h = inner
        var text = code.rawValue
        text.withUTF8 { h.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        var mac = outer
        h.finalize().withUnsafeBytes { mac.update(bufferPointer: $0) }
        return mac.finalize().withUnsafeBytes { Pseudonym(text: Self.hex(UnsafeRawBufferPointer(rebasing: $0.prefix(16)))) }
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

    private static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (i, b) in bytes.enumerated() {
                out[2 * i] = digits[Int(b >> 4)]
                out[2 * i + 1] = digits[Int(b & 0x0f)]
            }
            return bytes.count * 2
        }
    }

    private static func hex(_ bytes: some Sequence<UInt8>) -> String {
        Array(bytes).withUnsafeBytes { hex($0) }
    }
}
