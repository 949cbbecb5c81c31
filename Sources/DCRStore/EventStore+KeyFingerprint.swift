import GRDB

extension EventStore {
    /// Records `fingerprint` in `meta.key_fingerprint` the first time, and afterwards refuses a
    /// different one. Call it at start, before replay and before accepting events, so a wrong
    /// key never pseudonymises a single stored event.
    ///
    /// A store from before key custody has no fingerprint but may already hold events: it gets
    /// the current key's fingerprint (nothing can be checked there), which the next start checks.
    public func checkKeyFingerprint(_ fingerprint: String, keySource: String) throws {
        guard let queue = database.withLock({ $0 }) else {
            throw StoreError.cannotOpen(path: path, reason: "the store is closed")
        }
        let stored: String? = try queue.write { db in
            let stored = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'key_fingerprint'")
            if stored == nil {
                try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('key_fingerprint', ?)",
                               arguments: [fingerprint])
            }
            return stored
        }
        if let stored, stored != fingerprint {
            throw KeyMismatch(storePath: path, storedFingerprint: stored, keyFingerprint: fingerprint,
                              keySource: keySource)
        }
    }
}
