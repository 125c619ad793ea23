/// Reads and writes one value of the app's session (Vapor's `req.session.data`, or your own).
public struct AdminSession: Sendable {
    let read: @Sendable (String) -> String?
    let write: @Sendable (String, String) -> Void

    /// A session read with `read` and written with `write`.
    ///
    /// ```swift
    /// AdminSession(read: { req.session.data[$0] }, write: { req.session.data[$0] = $1 })
    /// ```
    public init(read: @escaping @Sendable (String) -> String?, write: @escaping @Sendable (String, String) -> Void) {
        self.read = read
        self.write = write
    }
}
