/// The store's events were pseudonymised under another key than the one the daemon was given.
///
/// Starting anyway would give every returning client a second pseudonym: distinct-client counts
/// would double without any error. The message says what to do; it names fingerprints only,
/// never key material.
public struct KeyMismatch: Error, Sendable, Hashable, CustomStringConvertible {
    public var storePath: String
    public var storedFingerprint: String
    public var keyFingerprint: String
    /// Where the key in use came from: a file path or "systemd credential NAME".
    public var keySource: String

    public init(storePath: String, storedFingerprint: String, keyFingerprint: String, keySource: String) {
        self.storePath = storePath
        self.storedFingerprint = storedFingerprint
        self.keyFingerprint = keyFingerprint
        self.keySource = keySource
    }

    public var description: String {
        """
        the event store \(storePath) was pseudonymised under the key with fingerprint \
        \(storedFingerprint), but the pseudonym key in use (\(keySource)) has fingerprint \
        \(keyFingerprint): with it every returning client would be counted as a new one. Give dcrd \
        the key this store was made with (pseudonym-key-file, or the systemd credential), or \
        start on an empty state directory; the store is left untouched
        """
    }
}
