/// A tag or lengths that ``TaggedKeyGenerator`` cannot make keys with; the message says what is
/// accepted.
///
/// ```swift
/// do { _ = try TaggedKeyGenerator(tag: "Acme-Live") } catch { print(error) }
/// // a key tag must be 1 to 24 lowercase letters, digits and underscores, …; got "Acme-Live"
/// ```
public struct InvalidKeyTag: Error, CustomStringConvertible {
    /// What was wrong and what is accepted.
    public let description: String

    init(_ description: String) { self.description = description }
}
