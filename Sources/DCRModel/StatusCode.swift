/// gRPC's status numbering, as the wire contract uses it.
public enum StatusCode: Int32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case ok = 0
    case invalidArgument = 3
    case notFound = 5
    case alreadyExists = 6
    case permissionDenied = 7
    case resourceExhausted = 8
    case failedPrecondition = 9
    case unimplemented = 12
    case `internal` = 13
    case unavailable = 14
    case unauthenticated = 16

    public var description: String {
        switch self {
        case .ok: "OK"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .notFound: "NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceExhausted: "RESOURCE_EXHAUSTED"
        case .failedPrecondition: "FAILED_PRECONDITION"
        case .unimplemented: "UNIMPLEMENTED"
        case .internal: "INTERNAL"
        case .unavailable: "UNAVAILABLE"
        case .unauthenticated: "UNAUTHENTICATED"
        }
    }

    /// Numbers outside the contract (from a newer daemon) read as `.unknown`-ish INTERNAL.
    public init(wire: Int32) { self = StatusCode(rawValue: wire) ?? .internal }
}

/// A refusal with the code the wire carries and a message for people.
public struct StatusError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: StatusCode
    public var message: String

    public init(_ code: StatusCode, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
