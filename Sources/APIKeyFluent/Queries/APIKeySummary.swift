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
///  "expires_at": null, "revoked": false, "expired": false, "status": "active"}
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
    /// `revoked`, `expired`, `unusable` (its model's rule refuses it) or `active`.
    public let status: String

    /// The summary of `key` at `now`; `unusable` when its model's rule refuses it.
    public init<Model: APIKeyModel>(_ key: Model, unusable: Bool = false, at now: Date = Date()) {
        prefix = key.prefix
        name = key.name
        createdAt = key.effectiveCreation
        expiresAt = key.effectiveExpiry
        revoked = key.isRevoked
        expired = key.hasEffectivelyExpired(at: now)
        status = revoked ? "revoked" : expired ? "expired" : unusable ? "unusable" : "active"
    }

    enum CodingKeys: String, CodingKey {
        case prefix, name, revoked, expired, status
        case createdAt = "created_at"
        case expiresAt = "expires_at"
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
        try container.encode(status, forKey: .status)
    }
}
