import Glibc

/// Sets environment variables for the duration of a body and restores them after. The process
/// environment is global: only tests inside the serialized `ProcessEnvironmentTests` suite use it.
enum EnvironmentOverride {
    static func with<T>(_ values: [String: String?], _ body: () async throws -> T) async rethrows -> T {
        var saved: [String: String?] = [:]
        for (name, value) in values {
            saved[name] = getenv(name).map { String(cString: $0) }
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
        defer {
            for (name, value) in saved {
                if let value { setenv(name, value, 1) } else { unsetenv(name) }
            }
        }
        return try await body()
    }
}
