/// Where keys live, as far as verification is concerned: find by prefix, rewrite a hash.
///
/// ``InMemoryAPIKeyStore`` is the reference implementation; `APIKeyFluent` provides the database
/// one. A store is free to narrow which keys are usable (upstream's `get_usable_keys`, e.g. keys
/// of retired owners) by returning `nil` for them; it need not filter revoked keys, which
/// ``APIKeyVerifier`` refuses itself.
///
/// ```swift
/// struct PartnerKeys: APIKeyStore {
///     func record(forPrefix prefix: String) async throws -> PartnerKey? {
///         try await db.partnerKey(prefix: prefix, partnerActive: true)
///     }
///     func replaceHash(of record: PartnerKey, with newHash: String) async throws {
///         try await db.updateHash(prefix: record.prefix, from: record.hashedKey, to: newHash)
///     }
/// }
/// ```
public protocol APIKeyStore: Sendable {
    /// The stored keys' type.
    associatedtype Record: APIKeyRecord

    /// The usable key with this prefix, or `nil`. One indexed lookup: it runs on every request.
    ///
    /// - Throws: when the store cannot answer (database down). Verification then fails closed.
    func record(forPrefix prefix: String) async throws -> Record?

    /// Stores `newHash` in place of `record.hashedKey` after a legacy hash verified, and nothing
    /// else (upstream leaves a legacy row's `id` untouched). Should change the row only if it
    /// still holds `record.hashedKey`, so concurrent upgrades agree.
    func replaceHash(of record: Record, with newHash: String) async throws

    /// What the store can say about `prefix` without waiting: `.some(record)`, `.some(nil)` for a
    /// prefix known to have no usable key, or `nil` when only ``record(forPrefix:)`` can tell.
    /// Stores in memory (a cache) answer here, so that a request needs no suspension at all.
    /// Defaults to `nil`.
    func recordWithoutWaiting(forPrefix prefix: String) -> Record??
}

extension APIKeyStore {
    /// Nothing is known without asking.
    public func recordWithoutWaiting(forPrefix prefix: String) -> Record?? { nil }
}
