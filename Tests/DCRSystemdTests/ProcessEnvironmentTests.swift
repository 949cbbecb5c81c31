import Testing

/// Every test that changes the process environment (NOTIFY_SOCKET, LISTEN_*, WATCHDOG_*, …) or
/// starts a child process (which copies the environment) lives in this suite, so that none of
/// them runs concurrently with another: setenv is not thread-safe.
@Suite("Process environment and tools (serialized)", .serialized)
struct ProcessEnvironmentTests {}
