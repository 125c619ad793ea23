/// Leak reporting settings that cannot be used; the message says what is accepted.
///
/// ```swift
/// do { _ = try GitHubSigningKeys(["id": "not a key"]) } catch { print(error) }
/// ```
public struct LeakReportingError: Error, CustomStringConvertible {
    /// What was wrong and what is accepted.
    public let description: String

    init(_ description: String) { self.description = description }
}
