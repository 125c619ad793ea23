#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A key as ``InMemoryAPIKeyStore`` keeps it: the columns of upstream's `APIKey` model, with a
/// UUID for an id instead of the hash-embedding string of upstream's schema (upstream #128).
///
/// ```swift
/// let (record, key) = try store.createKey(name: "billing-service")
/// record.prefix      // "C7oAzBnJ"
/// record.hashedKey   // "sha512$$…"
/// ```
public struct StoredAPIKey: APIKeyRecord, Hashable {
    /// A stable identifier, independent of the key and its hash.
    public let id: UUID
    /// A free-form name for people; need not be unique.
    public var name: String
    /// The public lookup part of the key.
    public let prefix: String
    /// The stored hash.
    public var hashedKey: String
    /// When the key was made.
    public let createdAt: Date
    /// Whether the key was revoked; once set, it stays set.
    public var isRevoked: Bool
    /// When the key stops working, or `nil` for never.
    public var expiresAt: Date?

    /// A record with every field given; ``InMemoryAPIKeyStore/createKey(name:expiresAt:revoked:)``
    /// makes one for a new key.
    public init(
        id: UUID = UUID(), name: String, prefix: String, hashedKey: String, createdAt: Date = Date(),
        isRevoked: Bool = false, expiresAt: Date? = nil
    ) {
        self.id = id
        self.name = name
        self.prefix = prefix
        self.hashedKey = hashedKey
        self.createdAt = createdAt
        self.isRevoked = isRevoked
        self.expiresAt = expiresAt
    }
}
