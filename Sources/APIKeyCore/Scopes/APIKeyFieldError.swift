/// A value a key cannot be given: an undeclared scope, an address that is not one, metadata that
/// is not a small JSON object. Its description says what was wrong and what is accepted, for
/// people (the commands and the admin panel show it as it is).
///
/// ```swift
/// do { _ = try IPAllowlist(["10.0.0.0/33"]) }
/// catch { print(error) }  // '10.0.0.0/33' is not an address or range: …
/// ```
public struct APIKeyFieldError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which of a key's fields the value was for.
    public struct Field: Sendable, Hashable, CustomStringConvertible {
        /// `scopes`, `allowed_ips`, `metadata`, `rate_limit`: the field's name in JSON and in the commands' output.
        public let name: String
        /// The key's scopes.
        public static let scopes = Field(name: "scopes")
        /// The key's IP allowlist.
        public static let allowedIPs = Field(name: "allowed_ips")
        /// The key's metadata.
        public static let metadata = Field(name: "metadata")
        /// The key's rate limit.
        public static let rateLimit = Field(name: "rate_limit")
        /// `expires_at`: a key's expiry, against the app's lifetime policy.
        public static let expiresAt = Field(name: "expires_at")
        /// `scopes`
        public var description: String { name }
    }

    /// Which field.
    public let field: Field
    /// What was wrong and what is accepted.
    public let description: String

    /// An error for `field`.
    public init(field: Field, description: String) {
        self.field = field
        self.description = description
    }

    /// `value` as it may be shown: at most 64 characters, with control characters replaced, so
    /// that a message never carries a whole pasted secret or a terminal escape.
    package static func printable(_ value: some StringProtocol) -> String {
        let cleaned = String(value.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
        return cleaned.count > 64 ? cleaned.prefix(61) + "..." : cleaned
    }
}
