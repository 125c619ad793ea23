/// A pepper that cannot be used; the message says what is accepted (never the secret).
///
/// ```swift
/// do { _ = try KeyPepper(id: "2026a", secret: Array("short".utf8)) } catch { print(error) }
/// ```
public struct InvalidKeyPepper: Error, CustomStringConvertible {
    /// What was wrong and what is accepted.
    public let description: String

    init(_ description: String) { self.description = description }
}
