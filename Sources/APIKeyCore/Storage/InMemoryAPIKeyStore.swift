#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// Keys held in memory, by prefix: for tests, examples and single-process tools.
///
/// It keeps the rules every store must keep: prefixes are unique, a revoked key stays revoked,
/// and only a hash that is still current is replaced.
///
/// ```swift
/// let store = InMemoryAPIKeyStore()
/// let (record, key) = try store.createKey(name: "ci")
/// let verifier = APIKeyVerifier(store: store, scheme: store.scheme)
/// try await verifier.verify(presentedKey: key.reveal())   // .valid(record)
/// ```
public final class InMemoryAPIKeyStore: APIKeyStore {
    /// How ``createKey(name:expiresAt:revoked:)`` makes keys.
    public let scheme: KeyScheme
    private let keys = Locked<[String: StoredAPIKey]>([:])

    /// An empty store whose new keys follow `scheme`.
    public init(scheme: KeyScheme = KeyScheme()) {
        self.scheme = scheme
    }

    /// Makes a key, stores its hash, and returns the record with the plaintext key, which exists
    /// nowhere else. A prefix that is already taken is drawn again.
    ///
    /// ```swift
    /// let (record, key) = try store.createKey(name: "nightly-export", expiresAt: Date().addingTimeInterval(86_400))
    /// ```
    /// - Throws: ``InMemoryAPIKeyStoreError/prefixCollision`` if ten prefixes in a row were taken,
    ///   which with the default generator means the random source is broken.
    public func createKey(
        name: String, expiresAt: Date? = nil, revoked: Bool = false
    ) throws(InMemoryAPIKeyStoreError) -> (record: StoredAPIKey, key: PlaintextAPIKey) {
        for _ in 0..<10 {
            let newKey = scheme.makeKey()
            let record = StoredAPIKey(
                name: name, prefix: newKey.prefix, hashedKey: newKey.hashedKey, isRevoked: revoked, expiresAt: expiresAt)
            if (try? insert(record)) != nil { return (record, newKey.plaintext) }
        }
        throw .prefixCollision
    }

    /// Stores a record made elsewhere, e.g. a legacy row in a test.
    ///
    /// - Throws: ``InMemoryAPIKeyStoreError/prefixCollision`` if its prefix is taken.
    public func insert(_ record: StoredAPIKey) throws(InMemoryAPIKeyStoreError) {
        try keys.withLock { keys throws(InMemoryAPIKeyStoreError) in
            guard keys[record.prefix] == nil else { throw .prefixCollision }
            keys[record.prefix] = record
        }
    }

    /// Revokes the key with this prefix, for good.
    ///
    /// - Throws: ``InMemoryAPIKeyStoreError/notFound`` for an unknown prefix.
    public func revoke(prefix: String) throws(InMemoryAPIKeyStoreError) {
        try keys.withLock { keys throws(InMemoryAPIKeyStoreError) in
            guard keys[prefix] != nil else { throw .notFound }
            keys[prefix]?.isRevoked = true
        }
    }

    /// Deletes the key with this prefix.
    ///
    /// - Throws: ``InMemoryAPIKeyStoreError/notFound`` for an unknown prefix.
    public func delete(prefix: String) throws(InMemoryAPIKeyStoreError) {
        try keys.withLock { keys throws(InMemoryAPIKeyStoreError) in
            guard keys.removeValue(forKey: prefix) != nil else { throw .notFound }
        }
    }

    /// Every stored key, newest first.
    public var allKeys: [StoredAPIKey] {
        keys.withLock { $0.values.sorted { $0.createdAt > $1.createdAt } }
    }

    /// The key with this prefix, revoked or not.
    public func record(forPrefix prefix: String) async -> StoredAPIKey? {
        keys.withLock { $0[prefix] }
    }

    /// The key with this prefix, or `.some(nil)`: memory always knows.
    public func recordWithoutWaiting(forPrefix prefix: String) -> StoredAPIKey?? {
        .some(keys.withLock { $0[prefix] })
    }

    /// Replaces the hash if the stored one is still `record.hashedKey`.
    public func replaceHash(of record: StoredAPIKey, with newHash: String) async {
        keys.withLock { keys in
            guard keys[record.prefix]?.hashedKey == record.hashedKey else { return }
            keys[record.prefix]?.hashedKey = newHash
        }
    }
}

/// Why an ``InMemoryAPIKeyStore`` refused a change.
public enum InMemoryAPIKeyStoreError: Error, Sendable, Equatable {
    /// Another key already has this prefix.
    case prefixCollision
    /// No key has this prefix.
    case notFound
}
