public import APIKeyCore
public import FluentKit

/// A key model whose keys can be limited: scopes, suspension, an IP allowlist and metadata. The
/// built-in ``APIKey`` adopts it; a custom model opts in by declaring the four fields, usually
/// with the keys in ``APIKeyColumn``, and adding the columns with
/// `Database.addAPIKeyAccessFields(toTable:)`:
///
/// ```swift
/// final class OrganizationAPIKey: AccessControlledAPIKeyModel, @unchecked Sendable {
///     // … the fields of every APIKeyModel, then:
///     @Field(key: APIKeyColumn.scopes) var scopes: [String]
///     @Field(key: APIKeyColumn.suspended) var isSuspended: Bool
///     @Field(key: APIKeyColumn.allowedIPs) var allowedIPs: [String]
///     @OptionalField(key: APIKeyColumn.metadata) var metadata: APIKeyMetadata?
///
///     init() {
///         // So that a model made in code and given to `APIKeyManager.create(_:)` saves as is
///         // (`createKey` sets them itself).
///         (scopes, isSuspended, allowedIPs) = ([], false, [])
///     }
/// }
/// ```
///
/// A model that does not adopt it (djangorestframework-api-key's table, whose schema is
/// Django's) has keys with no scopes, never suspended, usable from anywhere: the manager, the
/// commands and the admin panel refuse to set these fields on it, saying why.
public protocol AccessControlledAPIKeyModel: APIKeyModel {
    /// The names of the key's scopes; only names of `DeclaredScopes` are accepted when saved.
    var scopes: [String] { get set }
    /// Whether the key is suspended: refused until resumed. A revoked key stays revoked.
    var isSuspended: Bool { get set }
    /// Addresses and CIDR ranges the key may be used from; empty for anywhere.
    var allowedIPs: [String] { get set }
    /// A JSON object of at most 4 KiB, for the app's own use.
    var metadata: APIKeyMetadata? { get set }

    /// The column of ``scopes``, for filtering; `scopes` by default.
    static var scopesKey: FieldKey { get }
    /// The column of ``isSuspended``, for suspension; `suspended` by default.
    static var suspendedKey: FieldKey { get }
}

extension AccessControlledAPIKeyModel {
    /// `scopes`
    public static var scopesKey: FieldKey { APIKeyColumn.scopes }
    /// `suspended`
    public static var suspendedKey: FieldKey { APIKeyColumn.suspended }
}

/// A key model whose keys can each have a rate limit of their own (`100/min`), stored as text in
/// `rate_limit`; keys without one get the app's default for the model. The built-in ``APIKey``
/// adopts it; a custom model declares the field and adds the column with
/// `Database.addAPIKeyRateLimit(toTable:)`:
///
/// ```swift
/// @OptionalField(key: APIKeyColumn.rateLimit) var rateLimit: String?
/// ```
public protocol RateLimitedAPIKeyModel: APIKeyModel {
    /// The key's limit as `RateLimit` writes it (`100/min burst 20`); `nil` for the app's default.
    var rateLimit: String? { get set }
}

/// What a key may do beyond being valid, read from any key model: empty for a model that keeps
/// none of it.
package struct KeyAccess: Sendable, Hashable {
    package var scopes: APIKeyScopes = .none
    package var isSuspended = false
    package var allowedIPs: [String] = []
    package var metadata: APIKeyMetadata = .empty
    /// The key's own limit, if it has one.
    package var rateLimit: RateLimit?
}

/// A stored rate limit that is not one (written by hand): the row is refused as unreadable.
struct UnreadableRateLimit: Error {}

extension APIKeyModel {
    /// Whether the model keeps scopes, suspension, allowlists and metadata.
    package static var isAccessControlled: Bool { Self.self is any AccessControlledAPIKeyModel.Type }

    /// The key's scopes, suspension, allowlist, metadata and rate limit, as stored; a rate limit
    /// that cannot be read is none (``readableAccess()`` refuses it).
    package var access: KeyAccess {
        (try? readableAccess()) ?? readableAccessIgnoringRateLimit()
    }

    /// ``access``, refusing a stored rate limit that is not one.
    package func readableAccess() throws -> KeyAccess {
        var access = readableAccessIgnoringRateLimit()
        if let text = (self as? any RateLimitedAPIKeyModel)?.rateLimit {
            guard let limit = try? RateLimit(parsing: text) else { throw UnreadableRateLimit() }
            access.rateLimit = limit
        }
        return access
    }

    private func readableAccessIgnoringRateLimit() -> KeyAccess {
        guard let model = self as? any AccessControlledAPIKeyModel else { return KeyAccess() }
        return KeyAccess(
            scopes: APIKeyScopes(model.scopes), isSuspended: model.isSuspended, allowedIPs: model.allowedIPs,
            metadata: model.metadata ?? .empty)
    }
}
