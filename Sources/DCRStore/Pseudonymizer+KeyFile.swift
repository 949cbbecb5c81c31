import Crypto
import Foundation

extension Pseudonymizer {
    /// Reads the 32-byte key at `path`, or creates it with 32 random bytes when it is absent.
    ///
    /// Creating on first start keeps installation to one step, but losing the key would make
    /// every later pseudonym differ from the stored ones (distinct-client counts would double),
    /// so an existing file is never replaced: one of the wrong size or one that group or others
    /// may access is refused with an error naming the path and the rule. The file is created
    /// with `O_CREAT|O_EXCL` and mode 0600, then fsynced together with its directory, so a
    /// crash cannot leave a half-written key behind.
    public static func loadOrCreateKey(at path: String) throws(KeyError) -> SymmetricKey {
        if let key = try readKey(at: path, requirePrivate: true) { return key }
        try makeParentDirectory(of: path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            let code = errno
            // Someone else created it between our look and our create: use theirs.
            if code == EEXIST, let key = try readKey(at: path, requirePrivate: true) { return key }
            throw .cannotCreate(path: path, errno: code)
        }
        let key = SymmetricKey(size: .bits256)
        let written = key.withUnsafeBytes { raw in write(fd, raw.baseAddress, raw.count) }
        let writeErrno = errno
        let synced = fsync(fd) == 0
        close(fd)
        guard written == keyByteCount, synced else {
            unlink(path)
            throw .cannotCreate(path: path, errno: written < 0 || !synced ? writeErrno : EIO)
        }
        syncDirectory(of: path)
        return key
    }

    /// A pseudonymiser with the key systemd passes as credential `name`
    /// (`LoadCredential=name:/path` or `SetCredentialEncrypted=`), read from
    /// `$CREDENTIALS_DIRECTORY/name`. systemd makes that directory private to the service, so
    /// only the size is checked here.
    public static func fromCredential(
        named name: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(KeyError) -> Pseudonymizer {
        guard !name.isEmpty, !name.contains("/"), name != ".", name != ".." else {
            throw .invalidCredentialName(name)
        }
        guard let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty else {
            throw .noCredentialsDirectory(name: name)
        }
        let path = directory + "/" + name
        guard let key = try readKey(at: path, requirePrivate: false) else {
            throw .cannotRead(path: path, errno: ENOENT)
        }
        return try Pseudonymizer(key: key)
    }

    /// A pseudonymiser with the key file at `path`, created when absent (see `loadOrCreateKey`).
    public static func fromKeyFile(at path: String) throws(KeyError) -> Pseudonymizer {
        try Pseudonymizer(key: loadOrCreateKey(at: path))
    }

    /// The key at `path`; nil when there is no such file.
    private static func readKey(at path: String, requirePrivate: Bool) throws(KeyError) -> SymmetricKey? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        if fd < 0 {
            let code = errno
            if code == ENOENT { return nil }
            throw .cannotRead(path: path, errno: code)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotRead(path: path, errno: errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw .notRegularFile(path: path) }
        if requirePrivate, info.st_mode & 0o077 != 0 {
            throw .tooOpen(path: path, mode: UInt32(info.st_mode))
        }
        guard info.st_size == keyByteCount else {
            throw .wrongKeySize(source: path, bytes: Int(info.st_size))
        }
        var bytes = [UInt8](repeating: 0, count: keyByteCount + 1)
        let count = read(fd, &bytes, bytes.count)
        guard count >= 0 else { throw .cannotRead(path: path, errno: errno) }
        guard count == keyByteCount else { throw .wrongKeySize(source: path, bytes: count) }
        let key = SymmetricKey(data: bytes[0..<keyByteCount])
        for i in bytes.indices { bytes[i] = 0 }
        return key
    }

    /// The key's directory (`~/.config/dcr`, `/etc/dcr`) when it does not exist yet, private.
    private static func makeParentDirectory(of path: String) throws(KeyError) {
        let directory = (path as NSString).deletingLastPathComponent
        guard !directory.isEmpty else { return }
        var current = directory.hasPrefix("/") ? "" : "."
        for part in directory.split(separator: "/") {
            current += "/" + part
            if mkdir(current, 0o700) != 0 && errno != EEXIST { throw .cannotCreate(path: path, errno: errno) }
        }
    }

    /// Makes a newly created file's directory entry durable.
    private static func syncDirectory(of path: String) {
        let directory = (path as NSString).deletingLastPathComponent
        let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
