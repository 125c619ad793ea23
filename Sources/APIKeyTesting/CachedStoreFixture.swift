@_spi(Internals) package import APIKeyCore

/// Another fixture's store behind a verification cache, forgetting each key it
/// changes, as the manager does.
package struct CachedStoreFixture<Base: APIKeyStoreFixture>: APIKeyStoreFixture {
    /// The cached store under test.
    package let store: CachedAPIKeyStore<Base.Store>
    /// The fixture behind the cache.
    package let base: Base

    /// `base` behind a cache with `policy`.
    package init(_ base: Base, policy: VerificationCachePolicy = .standard) {
        self.base = base
        self.store = CachedAPIKeyStore(base.store, cache: VerificationCache(policy))
    }

    /// Inserts the key and forgets that its prefix was unknown.
    package func insert(_ key: APIKeyStoreFixtureKey) async throws {
        try await base.insert(key)
        store.cache.invalidate(prefix: key.prefix)
    }
    /// Revokes it and forgets it.
    package func revoke(prefix: String) async throws {
        try await base.revoke(prefix: prefix)
        store.cache.invalidate(prefix: prefix)
    }
    /// Deletes it and forgets it.
    package func delete(prefix: String) async throws {
        try await base.delete(prefix: prefix)
        store.cache.invalidate(prefix: prefix)
    }
    /// Its hash, from the store behind the cache.
    package func storedHash(prefix: String) async throws -> String? { try await base.storedHash(prefix: prefix) }
}
