public import APIKeyCore
public import FluentKit
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// The built-in API key model, table `api_keys`: upstream's `APIKey`, with a UUID primary key
/// instead of upstream's `prefix.hash` string (upstream #128).
///
/// Create its table with ``APIKeyMigrations/all`` (``CreateAPIKeys``, ``AddAPIKeyAccessFields``, ``AddAPIKeyRateLimit``,
/// ``AddAPIKeyRotation``); issue and manage keys
/// with ``APIKeyManager``.
///
/// ```swift
/// app.migrations.add(APIKeyMigrations.all)
/// let (key, plaintext) = try await APIKeyManager(on: db).createKey(name: "billing-service")
/// ```
public final class APIKey: AccessControlledAPIKeyModel, RateLimitedAPIKeyModel, RotatableAPIKeyModel, RevocationDatedAPIKeyModel, @unchecked Sendable {
    // @unchecked: Fluent models are classes whose property wrappers Fluent mutates; every Fluent
    // model is declared this way (FluentKit's `Fields` requires Sendable).

    /// `api_keys`
    public static let schema = "api_keys"

    /// A stable identifier, independent of the key and its hash.
    @ID(key: .id) public var id: UUID?
    /// The public lookup part of the key.
    @Field(key: APIKeyColumn.prefix) public var prefix: String
    /// The stored hash.
    @Field(key: APIKeyColumn.hashedKey) public var hashedKey: String
    /// A free-form name for people.
    @Field(key: APIKeyColumn.name) public var name: String
    /// When the key was made.
    @Timestamp(key: APIKeyColumn.createdAt, on: .create) public var createdAt: Date?
    /// Whether the key was revoked, for good.
    @Field(key: APIKeyColumn.revoked) public var isRevoked: Bool
    /// When the key stops working, or `nil` for never.
    @OptionalField(key: APIKeyColumn.expiresAt) public var expiresAt: Date?
    /// The names of the key's scopes.
    @Field(key: APIKeyColumn.scopes) public var scopes: [String]
    /// Whether the key is suspended, until resumed.
    @Field(key: APIKeyColumn.suspended) public var isSuspended: Bool
    /// Addresses and CIDR ranges the key may be used from; empty for anywhere.
    @Field(key: APIKeyColumn.allowedIPs) public var allowedIPs: [String]
    /// A JSON object for the app's own use.
    @OptionalField(key: APIKeyColumn.metadata) public var metadata: APIKeyMetadata?
    /// The key's own rate limit (`100/min`), or `nil` for the app's default.
    @OptionalField(key: APIKeyColumn.rateLimit) public var rateLimit: String?
    /// The prefix of the key this one replaced, if it came from a rotation.
    @OptionalField(key: APIKeyColumn.rotatedFrom) public var rotatedFrom: String?
    /// The prefix of the key that replaced this one, once rotated.
    @OptionalField(key: APIKeyColumn.replacedBy) public var replacedBy: String?
    /// When this key was rotated; it works until its expiry, the end of its grace period.
    @OptionalField(key: APIKeyColumn.replacedAt) public var replacedAt: Date?
    /// When it was revoked (``RevocationDatedAPIKeyModel``); `nil` while it is not, or for a key
    /// revoked before this column existed.
    @OptionalField(key: APIKeyColumn.revokedAt) public var revokedAt: Date?

    /// The empty model Fluent requires; use ``APIKeyManager/createKey(name:expiresAt:scopes:allowedIPs:metadata:rateLimit:revoked:configure:)``.
    public init() {
        // Fresh keys have no scopes, no allowlist, and are not suspended: set here so that a
        // model made in code saves without setting them.
        self.scopes = []
        self.isSuspended = false
        self.allowedIPs = []
    }

    /// The key's name, as upstream's `__str__`; Fluent's default would print every field.
    public var description: String { name }
}
