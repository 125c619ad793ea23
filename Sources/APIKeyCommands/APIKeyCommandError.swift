/// A command that could not do what was asked: its message says what was wrong and what is
/// accepted, and the process exits non-zero.
public struct APIKeyCommandError: Error, CustomStringConvertible {
    /// The message for people.
    public let description: String

    /// A failure with this message.
    public init(_ description: String) {
        self.description = description
    }
}
