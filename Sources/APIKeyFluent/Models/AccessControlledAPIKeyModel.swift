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

/// What a key may do beyond being valid, read from any key model: empty for a model that keeps
/// none of it.
package struct KeyAccess: Sendable, Hashable {
    package var scopes: APIKeyScopes = .none
    package var isSuspended = false
    package var allowedIPs: [String] = []
    package var metadata: APIKeyMetadata = .empty
}

extension APIKeyModel {
    /// Whether the model keeps scopes, suspension, allowlists and metadata.
    package static var isAccessControlled: Bool { Self.self is any AccessControlledAPIKeyModel.Type }

    /// The key's scopes, suspension, allowlist and metadata, as stored.
    package var access: KeyAccess {
        guard let model = self as? any AccessControlledAPIKeyModel else { return KeyAccess() }
        return KeyAccess(
            scopes: APIKeyScopes(model.scopes), isSuspended: model.isSuspended, allowedIPs: model.allowedIPs,
            metadata: model.metadata ?? .empty)
    }
}
