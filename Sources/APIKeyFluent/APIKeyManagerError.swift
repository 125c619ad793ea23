public import APIKeyCore

/// Why an ``APIKeyManager`` operation failed: a stable ``code`` to match on, and a sentence for
/// people.
///
/// New codes may come, so match the ones you handle and keep a default:
///
/// ```swift
/// do {
///     try await keys.delete(prefix: prefix)
/// } catch let error as APIKeyManagerError where error.code == .notFound {
///     return .notFound
/// } catch let error as APIKeyManagerError {
///     return .badRequest(error.description)      // says what was wrong and what is accepted
/// }
/// ```
public struct APIKeyManagerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong, as a stable snake-case code.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// `invalid_name`, `not_found`, …
        public let description: String
        private init(_ description: String) { self.description = description }

        /// The name is empty, too long, or holds control characters.
        public static let invalidName = Code("invalid_name")
        /// The expiry has passed, or lies outside 0001–9999.
        public static let invalidExpiry = Code("invalid_expiry")
        /// No key has the prefix.
        public static let notFound = Code("not_found")
        /// The presented key was refused (upstream's `DoesNotExist`); ``APIKeyManagerError/denial``
        /// says why.
        public static let denied = Code("denied")
        /// The key is revoked, which cannot be undone.
        public static let revocationIsFinal = Code("revocation_is_final")
        /// Other rows refer to the key, so the database refuses to delete it.
        public static let stillReferenced = Code("still_referenced")
        /// A scope, an allowlist entry or the metadata is not one the key can be given;
        /// ``APIKeyManagerError/field`` says which field.
        public static let invalidField = Code("invalid_field")
        /// The key model keeps no scopes, suspension, allowlist or metadata (djangorestframework-api-key's
        /// table): they cannot be set on its keys.
        public static let notSupported = Code("not_supported")
        /// Every prefix drawn was taken: the prefix space is too small, or the random source is broken.
        public static let prefixCollision = Code("prefix_collision")
        /// The key cannot be rotated as it is: suspended, expired, or already rotated.
        public static let notRotatable = Code("not_rotatable")
        /// A grace period outside what is accepted (none to a year).
        public static let invalidGrace = Code("invalid_grace")
    }

    /// What went wrong.
    public let code: Code
    /// A sentence for people: what was wrong, and what is accepted.
    public let description: String
    /// Why the key was refused, for `Code.denied`.
    public let denial: APIKeyDenial?
    /// Which field was refused, for `Code.invalidField`.
    public let field: APIKeyFieldError.Field?

    private init(_ code: Code, _ description: String, denial: APIKeyDenial? = nil, field: APIKeyFieldError.Field? = nil) {
        self.code = code
        self.description = description
        self.denial = denial
        self.field = field
    }

    /// A scope, allowlist entry or metadata the key cannot be given, with the message for people.
    public static func invalidField(_ error: APIKeyFieldError) -> Self { Self(.invalidField, error.description, field: error.field) }

    /// `model` keeps no scopes, suspension, allowlist or metadata.
    public static func notSupported(by model: String) -> Self {
        Self(
            .notSupported,
            "The \(model) key model keeps no scopes, suspension, IP allowlist or metadata (djangorestframework-api-key's table is never altered). "
                + "Use a key model that adopts AccessControlledAPIKeyModel, such as the built-in APIKey.")
    }

    /// `model` keeps no rate limit of each key's own: its keys get the app's default.
    package static func rateLimitNotSupported(by model: String) -> Self {
        Self(
            .notSupported,
            "The \(model) key model keeps no rate limit of each key's own: its keys get the app's default rate limit. "
                + "Use a key model that adopts RateLimitedAPIKeyModel, such as the built-in APIKey.")
    }

    /// `model` keeps no lineage: its keys cannot be rotated.
    package static func rotationNotSupported(by model: String) -> Self {
        Self(
            .notSupported,
            "The \(model) key model keeps no lineage, so its keys cannot be rotated (djangorestframework-api-key's table is never altered). "
                + "Create a new key and revoke the old one when its clients have switched, or use a key model that adopts RotatableAPIKeyModel, such as the built-in APIKey.")
    }

    /// The key cannot be rotated in its state, with the message for people.
    package static func notRotatable(_ message: String) -> Self { Self(.notRotatable, message) }

    /// A grace period that is not accepted, with the message for people.
    package static func invalidGrace(_ message: String) -> Self { Self(.invalidGrace, message) }

    /// A bad name, with the message for people.
    public static func invalidName(_ message: String) -> Self { Self(.invalidName, message) }

    /// A bad expiry, with the message for people.
    public static func invalidExpiry(_ message: String) -> Self { Self(.invalidExpiry, message) }

    /// No key has `prefix`. Only the prefix is ever shown, even if a whole key was given.
    public static func notFound(prefix: String) -> Self {
        let prefix = SecretRedaction.prefix(ofInput: prefix)
        return Self(.notFound, "No API key has the prefix \(prefix.count > 64 ? prefix.prefix(64) + "…" : prefix).")
    }

    /// The presented key was refused, for this reason.
    public static func denied(_ denial: APIKeyDenial) -> Self { Self(.denied, "No usable API key matches.", denial: denial) }

    /// The key is revoked, which cannot be undone (upstream's message).
    public static let revocationIsFinal = Self(.revocationIsFinal, "The API key has been revoked, which cannot be undone.")

    /// Other rows refer to the key.
    public static let stillReferenced = Self(
        .stillReferenced, "Other records refer to this API key, so it cannot be deleted. Revoke it instead.")

    /// No free prefix was found.
    public static let prefixCollision = Self(
        .prefixCollision, "No free key prefix was found. Try again; if it keeps happening, use longer prefixes.")

    /// The status an HTTP API answers with: 400 for input to fix, 404 for a key that is not
    /// there, 409 for a change the key's state forbids. Never 500.
    public var statusCode: Int {
        switch code {
        case .invalidName, .invalidExpiry, .invalidField, .notSupported, .invalidGrace: 400
        case .notFound, .denied: 404
        default: 409
        }
    }
}
