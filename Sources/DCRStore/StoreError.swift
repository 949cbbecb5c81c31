/// Why the store could not open or read its database. Messages are for the operator: they name
/// the file or the row and never contain client data (the store holds only pseudonyms anyway).
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The database file could not be opened, created or migrated.
    case cannotOpen(path: String, reason: String)
    /// A stored row does not describe a valid event (edited by hand, or a newer schema).
    case unreadableRow(String)
    /// A read on a connection of its own failed (the forwarder's); the reader is made again.
    case cannotRead(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open the event store \(path): \(reason)"
        case .unreadableRow(let what): "unreadable row in the event store: \(what)"
        case .cannotRead(let why): "cannot read the event store: \(why)"
        }
    }
}
