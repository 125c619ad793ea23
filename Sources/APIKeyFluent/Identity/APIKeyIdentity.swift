public import APIKeyCore
public import FluentKit
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Who a request is, once its API key was verified: an immutable copy of the key's row, never the
/// Fluent model.
///
/// It is what the verification cache holds and what every request that presents the key gets, so
/// it can be shared freely: nothing in it can change, and nothing in it is secret (no hash, no
/// key). A custom model adds what handlers need through ``APIKeyModel/identityDetails``, such as
/// an owner's id, readable as if it were the identity's own property. A handler that needs the
/// model itself, or its relations, loads a fresh row with ``model(on:)``.
///
/// ```swift
/// app.grouped(HasAPIKey(OrganizationAPIKey.self)).get("organization") { req in
///     let key = try req.auth.require(OrganizationAPIKey.Identity.self)
///     let organization = try await Organization.find(key.organizationID, on: req.db)
///     return "\(key.name) of \(organization?.name ?? "?")"
/// }
/// ```
@dynamicMemberLookup
public struct APIKeyIdentity<Model: APIKeyModel>: Sendable, Hashable, CustomStringConvertible {
    /// The row's id.
    public var id: Model.IDValue { storage.id }
    /// The public lookup part of the key.
    public var prefix: String { storage.prefix }
    /// The key's name.
    public var name: String { storage.name }
    /// When the key was made.
    public var createdAt: Date? { storage.createdAt }
    /// When the key stops working, or `nil` for never.
    public var expiresAt: Date? { storage.expiresAt }
    /// The key's scopes: check them with a `ScopeRequirement` (`HasAPIKey(requiring:)`) or
    /// `scopes.contains(ReportScope.write)`. Empty for a model that keeps none.
    public var scopes: APIKeyScopes { storage.scopes }
    /// The key's metadata; empty for a model that keeps none.
    public var metadata: APIKeyMetadata { storage.metadata }
    /// The key's own rate limit, if it has one (keys without one get the app's default).
    public var rateLimit: RateLimit? { storage.rateLimit }
    /// Set while the key was rotated and still works, for its grace period: responses then
    /// carry `Deprecation` and `Sunset`, and a handler may warn its client. `nil` otherwise.
    public var deprecation: APIKeyDeprecation? { storage.deprecation }
    /// What the model chose to expose (``APIKeyModel/identityDetails``).
    public var details: Model.IdentityDetails { storage.details }

    /// The fields, behind one reference: an identity is copied several times per request (from
    /// the cache, into the outcome, into `req.auth`), and one reference is one retain where ten
    /// fields were one each. Equality and hashing stay by value: see `Storage`'s.
    private let storage: Storage

    private final class Storage: Sendable, Hashable {
        let id: Model.IDValue
        let prefix: String
        let name: String
        let createdAt: Date?
        let expiresAt: Date?
        let scopes: APIKeyScopes
        let metadata: APIKeyMetadata
        let rateLimit: RateLimit?
        let deprecation: APIKeyDeprecation?
        let details: Model.IdentityDetails

        init(
            id: Model.IDValue, prefix: String, name: String, createdAt: Date?, expiresAt: Date?, scopes: APIKeyScopes,
            metadata: APIKeyMetadata, rateLimit: RateLimit?, deprecation: APIKeyDeprecation?, details: Model.IdentityDetails
        ) {
            self.id = id
            self.prefix = prefix
            self.name = name
            self.createdAt = createdAt
            self.expiresAt = expiresAt
            self.scopes = scopes
            self.metadata = metadata
            self.rateLimit = rateLimit
            self.deprecation = deprecation
            self.details = details
        }

        /// Equal when every field is.
        static func == (lhs: Storage, rhs: Storage) -> Bool {
            lhs === rhs
                || (lhs.id == rhs.id && lhs.prefix == rhs.prefix && lhs.name == rhs.name && lhs.createdAt == rhs.createdAt
                    && lhs.expiresAt == rhs.expiresAt && lhs.scopes == rhs.scopes && lhs.metadata == rhs.metadata
                    && lhs.rateLimit == rhs.rateLimit && lhs.deprecation == rhs.deprecation && lhs.details == rhs.details)
        }

        /// Every field, as `==` compares them.
        func hash(into hasher: inout Hasher) {
            hasher.combine(id)
            hasher.combine(prefix)
            hasher.combine(name)
            hasher.combine(createdAt)
            hasher.combine(expiresAt)
            hasher.combine(scopes)
            hasher.combine(metadata)
            hasher.combine(rateLimit)
            hasher.combine(deprecation)
            hasher.combine(details)
        }
    }

    /// The identity of `model`, as read from its row. Dates outside 0001–9999 are read as they
    /// count: an expiry after 9999 (PostgreSQL's `infinity`) is `nil`, never; one before 0001
    /// (`-infinity`) is 0001-01-01, expired; a creation date there is `nil`.
    ///
    /// - Throws: FluentKit's `FluentError.idRequired` for a model that was never saved; what
    ///   ``APIKeyModel/identityDetails`` throws.
    public init(_ model: Model) throws {
        try self.init(model, access: try model.readableAccess())
    }

    /// The identity of `model`, whose access fields were read already.
    init(_ model: Model, access: KeyAccess) throws {
        self.init(
            id: try model.requireID(), prefix: model.prefix, name: model.name, createdAt: model.effectiveCreation,
            expiresAt: model.effectiveExpiry, scopes: access.scopes, metadata: access.metadata, rateLimit: access.rateLimit,
            deprecation: model.deprecation, details: try model.identityDetails)
    }

    /// An identity with every field given, e.g. for a test.
    public init(
        id: Model.IDValue, prefix: String, name: String, createdAt: Date?, expiresAt: Date?, scopes: APIKeyScopes = .none,
        metadata: APIKeyMetadata = .empty, rateLimit: RateLimit? = nil, deprecation: APIKeyDeprecation? = nil, details: Model.IdentityDetails
    ) {
        self.storage = Storage(
            id: id, prefix: prefix, name: name, createdAt: createdAt, expiresAt: expiresAt, scopes: scopes, metadata: metadata,
            rateLimit: rateLimit, deprecation: deprecation, details: details)
    }

    /// A detail of the model's, as if it were the identity's own: `key.organizationID`.
    public subscript<Value>(dynamicMember keyPath: KeyPath<Model.IdentityDetails, Value>) -> Value {
        details[keyPath: keyPath]
    }

    /// A fresh copy of the key's row, or `nil` if it was deleted meanwhile: for relations, or for
    /// changes through ``APIKeyManager``. Each call reads the database and returns a new instance
    /// that belongs to the caller alone.
    ///
    /// ```swift
    /// let model = try await req.requireAPIKey(OrganizationAPIKey.self).model(on: req.db)
    /// let organization = try await model?.$organization.get(on: req.db)
    /// ```
    public func model(on database: any Database) async throws -> Model? {
        try await Model.find(id, on: database)
    }

    /// `name (prefix)`: never anything secret.
    public var description: String { "\(name) (\(prefix))" }
}

/// What the built-in models add to a request's identity: nothing.
public struct NoIdentityDetails: Sendable, Hashable {
    /// Nothing.
    public init() {}
}
