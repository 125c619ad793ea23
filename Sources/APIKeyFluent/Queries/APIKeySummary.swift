public import APIKeyCore
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What can be shown of a key, to people or as JSON: never its hash, never the key. Dates are as
/// they count: PostgreSQL's `infinity` is no expiry (`null`), `-infinity` long expired.
///
/// As JSON (`api-keys list --json`), every field is always there, `null` when empty:
///
/// ```json
/// {"prefix": "C7oAzBnJ", "name": "billing", "created_at": "2026-12-03T14:27:29Z",
///  "expires_at": null, "revoked": false, "expired": false, "suspended": false, "status": "active",
///  "scopes": ["reports:read"], "allowed_ips": ["203.0.113.0/24"], "metadata": {"plan": "pro"},
///  "rate_limit": "100/min", "last_used_at": "2026-12-04T09:12:03Z", "rotated_from": null, "replaced_by": null}
/// ```
public struct APIKeySummary: Codable, Sendable, Hashable {
    /// The public lookup part of the key.
    public let prefix: String
    /// The key's name.
    public let name: String
    /// When it was made.
    public let createdAt: Date?
    /// When it stops working, or `nil` for never.
    public let expiresAt: Date?
    /// Whether it was revoked.
    public let revoked: Bool
    /// Whether it has expired.
    public let expired: Bool
    /// Whether it is suspended.
    public let suspended: Bool
    /// `revoked`, `expired`, `suspended`, `unusable` (its model's rule refuses it) or `active`.
    public let status: String
    /// The names of its scopes.
    public let scopes: [String]
    /// Where it may be used from; empty for anywhere.
    public let allowedIPs: [String]
    /// Its metadata; `{}` when it has none.
    public let metadata: APIKeyMetadata
    /// Its own rate limit (`100/min`); `nil` when it has none (the app's default applies).
    public let rateLimit: String?
    /// When a request last used it, as of the last usage write; `nil` if never.
    public let lastUsedAt: Date?
    /// The prefix of the key it replaced, if it came from a rotation.
    public let rotatedFrom: String?
    /// The prefix of the key that replaced it, once rotated: it works until ``expiresAt``, the end
    /// of its grace period.
    public let replacedBy: String?

    /// The summary of `key` at `now`; `unusable` when its model's rule refuses it, last used at
    /// `lastUsedAt`.
    public init<Model: APIKeyModel>(_ key: Model, unusable: Bool = false, lastUsedAt: Date? = nil, at now: Date = Date()) {
        prefix = key.prefix
        name = key.name
        createdAt = key.effectiveCreation
        expiresAt = key.effectiveExpiry
        revoked = key.isRevoked
        expired = key.hasEffectivelyExpired(at: now)
        let access = key.access
        suspended = access.isSuspended
        status = revoked ? "revoked" : expired ? "expired" : suspended ? "suspended" : unusable ? "unusable" : "active"
        scopes = access.scopes.names
        allowedIPs = access.allowedIPs
        metadata = access.metadata
        rateLimit = (key as? any RateLimitedAPIKeyModel)?.rateLimit
        self.lastUsedAt = lastUsedAt
        let rotatable = key as? any RotatableAPIKeyModel
        rotatedFrom = rotatable?.rotatedFrom
        replacedBy = rotatable?.replacedBy
    }

    enum CodingKeys: String, CodingKey {
        case prefix, name, revoked, expired, suspended, status, scopes, metadata
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case allowedIPs = "allowed_ips"
        case lastUsedAt = "last_used_at"
        case rateLimit = "rate_limit"
        case rotatedFrom = "rotated_from"
        case replacedBy = "replaced_by"
    }

    /// Every field, every time: a key that never expires has `"expires_at": null`, so that a
    /// reader need not tell a missing field from a forgotten one.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(prefix, forKey: .prefix)
        try container.encode(name, forKey: .name)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(revoked, forKey: .revoked)
        try container.encode(expired, forKey: .expired)
        try container.encode(suspended, forKey: .suspended)
        try container.encode(status, forKey: .status)
        try container.encode(scopes, forKey: .scopes)
        try container.encode(allowedIPs, forKey: .allowedIPs)
        try container.encode(metadata, forKey: .metadata)
        try container.encode(rateLimit, forKey: .rateLimit)
        try container.encode(lastUsedAt, forKey: .lastUsedAt)
        try container.encode(rotatedFrom, forKey: .rotatedFrom)
        try container.encode(replacedBy, forKey: .replacedBy)
    }
}
