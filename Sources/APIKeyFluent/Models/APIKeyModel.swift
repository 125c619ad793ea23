public import APIKeyCore
public import FluentKit
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A Fluent model that holds API keys: the counterpart of djangorestframework-api-key's
/// `AbstractAPIKey`. Adopt it to get the whole behaviour (issuing, verification, revocation,
/// upgrade on use) on a model of your own, with your own fields and relations.
///
/// The built-in ``APIKey`` adopts it. A custom model declares the six columns, usually with the
/// keys in ``APIKeyColumn`` so that `SchemaBuilder.apiKeyFields()` can create them,
/// and names three of them for queries:
///
/// ```swift
/// final class OrganizationAPIKey: APIKeyModel, @unchecked Sendable {
///     static let schema = "organization_api_keys"
///     @ID(key: .id) var id: UUID?
///     @Field(key: APIKeyColumn.prefix) var prefix: String
///     @Field(key: APIKeyColumn.hashedKey) var hashedKey: String
///     @Field(key: APIKeyColumn.name) var name: String
///     @Timestamp(key: APIKeyColumn.createdAt, on: .create) var createdAt: Date?
///     @Field(key: APIKeyColumn.revoked) var isRevoked: Bool
///     @OptionalField(key: APIKeyColumn.expiresAt) var expiresAt: Date?
///     @Parent(key: "organization_id") var organization: Organization
///     init() {}
///
///     // Keys of inactive organizations cannot be used (upstream's get_usable_keys).
///     static func usableKeys(_ query: QueryBuilder<OrganizationAPIKey>) -> QueryBuilder<OrganizationAPIKey> {
///         query.join(parent: \.$organization).filter(Organization.self, \.$isActive == true)
///     }
/// }
/// ```
public protocol APIKeyModel: Model, APIKeyRecord {
    /// The public lookup part of the key; unique.
    var prefix: String { get set }
    /// The stored hash, `sha512$$…` or a legacy format.
    var hashedKey: String { get set }
    /// A free-form name for people, 1 to 50 characters; need not be unique.
    var name: String { get set }
    /// Whether the key was revoked. Once set it cannot be cleared: the database refuses it.
    var isRevoked: Bool { get set }
    /// When the key stops working, or `nil` for never.
    var expiresAt: Date? { get set }
    /// When the key was made.
    var createdAt: Date? { get }

    /// The column of ``prefix``, for lookups; `prefix` by default.
    static var prefixKey: FieldKey { get }
    /// The column of ``hashedKey``, for hash upgrades; `hashed_key` by default.
    static var hashedKeyKey: FieldKey { get }
    /// The column of ``isRevoked``, for revocation; `revoked` by default.
    static var revokedKey: FieldKey { get }
    /// The column of ``name``, for searching; `name` by default.
    static var nameKey: FieldKey { get }
    /// The column of ``createdAt``, for ordering; `created_at` by default.
    static var createdAtKey: FieldKey { get }
    /// The column of ``expiresAt``, for filtering; `expires_at` by default.
    static var expiresAtKey: FieldKey { get }

    /// Gives the model a new key before it is first saved: upstream's `assign_key`. The default
    /// sets ``prefix`` and ``hashedKey``; a model whose other columns derive from the key (such as
    /// upstream's `id`) sets them too.
    func assignKey(_ newKey: NewAPIKey)

    /// How a date is bound in queries on this model's date columns (the admin's expiry filters).
    /// The default binds the `Date` itself.
    static func databaseValue(for date: Date) -> any Codable & Sendable

    /// Whether a Django service reads this table too (djangorestframework-api-key's own): its keys
    /// then keep djangorestframework-api-key's format and SHA-512 hashes whatever the app's
    /// scheme says (no tag, no pepper), so that Django can still check them. `false` by default.
    static var isReadByDjango: Bool { get }

    /// Narrows which keys may be used at all: upstream's `get_usable_keys`. Joins and filters
    /// here apply to every lookup. The default keeps every key; revoked keys are refused by the
    /// verifier whatever this returns.
    static func usableKeys(_ query: QueryBuilder<Self>) -> QueryBuilder<Self>

    /// What a request's ``APIKeyIdentity`` carries beyond the key's own fields; nothing by default.
    associatedtype IdentityDetails: Sendable & Hashable = NoIdentityDetails

    /// The details of this row that handlers may read from the request's identity, such as an
    /// owner's id and name. Read when the key is verified, and cached with it, so keep it to plain
    /// values.
    ///
    /// The owner's own fields come with no query of their own: the lookup runs
    /// ``usableKeys(_:)``, so what it joins is there to read with FluentKit's `joined(_:)`:
    ///
    /// ```swift
    /// struct Details: Sendable, Hashable { let organizationID: UUID; let organizationName: String }
    /// var identityDetails: Details {
    ///     get throws { Details(organizationID: $organization.id, organizationName: try joined(Organization.self).name) }
    /// }
    /// ```
    ///
    /// Read only what ``usableKeys(_:)`` joins: FluentKit stops the process on a field that was
    /// never fetched. A row whose details cannot be made (the getter throws) is refused and
    /// logged as unreadable, never granted and never a 503. Keep the joined fields to those a handler needs on every request:
    /// they are as fresh as the cached key (a renamed owner shows within the cache's lifetime).
    var identityDetails: IdentityDetails { get throws }
}

extension APIKeyModel {
    /// What requests authenticated by this model's keys are: `req.auth.require(OrganizationAPIKey.Identity.self)`.
    public typealias Identity = APIKeyIdentity<Self>
}

extension APIKeyModel where IdentityDetails == NoIdentityDetails {
    /// Nothing.
    public var identityDetails: NoIdentityDetails { NoIdentityDetails() }
}

extension APIKeyModel {
    /// `prefix`
    public static var prefixKey: FieldKey { APIKeyColumn.prefix }
    /// `hashed_key`
    public static var hashedKeyKey: FieldKey { APIKeyColumn.hashedKey }
    /// `revoked`
    public static var revokedKey: FieldKey { APIKeyColumn.revoked }
    /// `name`
    public static var nameKey: FieldKey { APIKeyColumn.name }
    /// `created_at`
    public static var createdAtKey: FieldKey { APIKeyColumn.createdAt }
    /// `expires_at`
    public static var expiresAtKey: FieldKey { APIKeyColumn.expiresAt }
    /// No.
    public static var isReadByDjango: Bool { false }

    /// Sets ``prefix`` and ``hashedKey``.
    public func assignKey(_ newKey: NewAPIKey) {
        prefix = newKey.prefix
        hashedKey = newKey.hashedKey
    }

    /// The date itself.
    public static func databaseValue(for date: Date) -> any Codable & Sendable { date }

    /// Every key is usable (revoked ones are still refused by the verifier).
    public static func usableKeys(_ query: QueryBuilder<Self>) -> QueryBuilder<Self> { query }
}

/// The column names of ``APIKey``; use them in custom models so that
/// `SchemaBuilder.apiKeyFields()` creates matching columns.
public enum APIKeyColumn {
    /// `prefix`
    public static let prefix: FieldKey = "prefix"
    /// `hashed_key`
    public static let hashedKey: FieldKey = "hashed_key"
    /// `name`
    public static let name: FieldKey = "name"
    /// `created_at`
    public static let createdAt: FieldKey = "created_at"
    /// `revoked`
    public static let revoked: FieldKey = "revoked"
    /// `expires_at`
    public static let expiresAt: FieldKey = "expires_at"
    /// `scopes`, for ``AccessControlledAPIKeyModel``
    public static let scopes: FieldKey = "scopes"
    /// `suspended`, for ``AccessControlledAPIKeyModel``
    public static let suspended: FieldKey = "suspended"
    /// `allowed_ips`, for ``AccessControlledAPIKeyModel``
    public static let allowedIPs: FieldKey = "allowed_ips"
    /// `metadata`, for ``AccessControlledAPIKeyModel``
    public static let metadata: FieldKey = "metadata"
    /// `rate_limit`
    public static let rateLimit: FieldKey = "rate_limit"
}
