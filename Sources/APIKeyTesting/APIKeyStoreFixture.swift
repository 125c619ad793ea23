public import APIKeyCore
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What ``APIKeyStoreConformance`` needs to arrange a store's rows: the store itself, and a way to
/// write, revoke and delete keys and read a stored hash behind its back.
///
/// Fixtures for the in-memory store, any Fluent key model and a cached store come with this
/// module; write one for a store of your own.
///
/// ```swift
/// struct PartnerKeysFixture: APIKeyStoreFixture {
///     let store = PartnerKeys(db: db)
///     func insert(_ key: APIKeyStoreFixtureKey) async throws { try await db.insertPartnerKey(key) }
///     func revoke(prefix: String) async throws { try await db.revokePartnerKey(prefix) }
///     func delete(prefix: String) async throws { try await db.deletePartnerKey(prefix) }
///     func storedHash(prefix: String) async throws -> String? { try await db.partnerKey(prefix)?.hash }
/// }
/// ```
public protocol APIKeyStoreFixture: Sendable {
    /// The store under test.
    associatedtype Store: APIKeyStore
    /// The store under test.
    var store: Store { get }
    /// Stores a key with exactly these fields.
    func insert(_ key: APIKeyStoreFixtureKey) async throws
    /// Revokes the key with this prefix.
    func revoke(prefix: String) async throws
    /// Deletes the key with this prefix.
    func delete(prefix: String) async throws
    /// The hash stored for this prefix now, or `nil` if there is no such key.
    func storedHash(prefix: String) async throws -> String?
}

/// A row for a fixture to store.
public struct APIKeyStoreFixtureKey: Sendable {
    /// A name for people.
    public var name: String
    /// The public lookup part.
    public var prefix: String
    /// The stored hash.
    public var hashedKey: String
    /// Whether the key is revoked.
    public var isRevoked: Bool
    /// When the key expires, if ever.
    public var expiresAt: Date?

    /// A row.
    public init(name: String, prefix: String, hashedKey: String, isRevoked: Bool = false, expiresAt: Date? = nil) {
        self.name = name
        self.prefix = prefix
        self.hashedKey = hashedKey
        self.isRevoked = isRevoked
        self.expiresAt = expiresAt
    }
}

/// The in-memory store, as a fixture.
public struct InMemoryStoreFixture: APIKeyStoreFixture {
    /// The store under test.
    public let store: InMemoryAPIKeyStore

    /// A fixture over `store`, empty by default.
    public init(_ store: InMemoryAPIKeyStore = InMemoryAPIKeyStore()) { self.store = store }

    /// Inserts the key.
    public func insert(_ key: APIKeyStoreFixtureKey) async throws {
        try store.insert(StoredAPIKey(name: key.name, prefix: key.prefix, hashedKey: key.hashedKey, isRevoked: key.isRevoked, expiresAt: key.expiresAt))
    }
    /// Revokes it.
    public func revoke(prefix: String) async throws { try store.revoke(prefix: prefix) }
    /// Deletes it.
    public func delete(prefix: String) async throws { try store.delete(prefix: prefix) }
    /// Its hash.
    public func storedHash(prefix: String) async throws -> String? { await store.record(forPrefix: prefix)?.hashedKey }
}
