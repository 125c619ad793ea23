/// A store in front of another, answering lookups from a ``VerificationCache`` when it can.
///
/// ```swift
/// let cache = VerificationCache<APIKey>()
/// let store = CachedAPIKeyStore(FluentAPIKeyStore(APIKey.self, on: db), cache: cache)
/// ```
@_spi(Internals) public struct CachedAPIKeyStore<Base: APIKeyStore>: APIKeyStore {
    /// The store asked on a miss.
    public let base: Base
    /// What has been learned.
    public let cache: VerificationCache<Base.Record>

    /// `base`, behind `cache`.
    public init(_ base: Base, cache: VerificationCache<Base.Record>) {
        self.base = base
        self.cache = cache
    }

    /// The cached answer if fresh, else the base store's, which is then remembered. Requests that
    /// miss the same prefix at the same time share one lookup; failures are not remembered.
    public func record(forPrefix prefix: String) async throws -> Base.Record? {
        if let known = cache.lookup(prefix) { return known }
        return try await cache.sharedLookup(prefix) { [base] in try await base.record(forPrefix: prefix) }
    }

    /// The cached answer if fresh; `nil` when the base store must be asked.
    @inlinable
    public func recordWithoutWaiting(forPrefix prefix: String) -> Base.Record?? {
        cache.lookup(prefix)
    }

    /// Rewrites the hash in the base store and forgets the cached row.
    public func replaceHash(of record: Base.Record, with newHash: String) async throws {
        try await base.replaceHash(of: record, with: newHash)
        cache.invalidate(prefix: record.prefix)
    }
}
