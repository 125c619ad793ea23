public import FluentKit
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What ``APIKeyManager/prune(revokedBefore:expiredBefore:dryRun:narrowedBy:)`` deleted, or would.
///
/// ```swift
/// let pruning = try await keys.prune(revokedBefore: ninetyDaysAgo, expiredBefore: ninetyDaysAgo)
/// for key in pruning.deleted { print(key.prefix, key.reason) }
/// ```
public struct APIKeyPruning: Sendable {
    /// One key deleted (or that would be).
    public struct Key: Sendable, Hashable {
        /// Its prefix.
        public let prefix: String
        /// Its name.
        public let name: String
        /// Why: `revoked 2026-01-31 12:00 UTC`, `expired 2026-02-01 00:00 UTC`.
        public let reason: String
    }

    /// The keys deleted (or, in a dry run, that would be), oldest reason first.
    public let deleted: [Key]
    /// Keys that matched but are kept because other rows refer to them (a foreign key).
    public let stillReferenced: [String]
    /// Revoked keys kept because their revocation time is unknown (revoked before the table had
    /// `revoked_at`, or a model without it, such as djangorestframework-api-key's).
    public let undatedRevocations: Int
}

extension APIKeyManager {
    /// Deletes the keys no longer needed: those revoked before `revokedBefore` and those that
    /// expired before `expiredBefore` (a rotated key expires at the end of its grace period).
    /// Each deletion is an event (`deleted`), as any other. A revoked key whose revocation time
    /// is unknown is kept (``APIKeyPruning/undatedRevocations``): delete it by its prefix.
    ///
    /// ```swift
    /// let cutoff = Date().addingTimeInterval(-90 * 86_400)
    /// let pruning = try await keys.prune(revokedBefore: cutoff, expiredBefore: cutoff, dryRun: true)
    /// ```
    /// - Parameters:
    ///   - revokedBefore: Delete keys revoked before this; `nil` keeps every revoked key.
    ///   - expiredBefore: Delete keys that expired before this; `nil` keeps every expired key.
    ///   - dryRun: Say what would be deleted, and delete nothing.
    ///   - narrow: Limits pruning to some keys (one owner's).
    public func prune(
        revokedBefore: Date?, expiredBefore: Date?, dryRun: Bool = false,
        narrowedBy narrow: (QueryBuilder<Model>) -> QueryBuilder<Model> = { $0 }
    ) async throws -> APIKeyPruning {
        let (keys, _) = try await narrow(Model.query(on: database)).readableKeys()
        var matched: [(key: APIKeyPruning.Key, at: Date)] = []
        var undated = 0
        for key in keys {
            if let revokedBefore, key.isRevoked {
                if let revokedAt = (key as? any RevocationDatedAPIKeyModel)?.revokedAt {
                    if revokedAt < revokedBefore {
                        matched.append((APIKeyPruning.Key(prefix: key.prefix, name: key.name, reason: "revoked \(DateInput.display(revokedAt))"), revokedAt))
                        continue
                    }
                } else {
                    undated += 1
                }
            }
            if let expiredBefore, let expiry = key.effectiveExpiry, StoredDate.isOrdinary(expiry), expiry < expiredBefore {
                matched.append((APIKeyPruning.Key(prefix: key.prefix, name: key.name, reason: "expired \(DateInput.display(expiry))"), expiry))
            }
        }
        matched.sort { ($0.at, $0.key.prefix) < ($1.at, $1.key.prefix) }
        guard !dryRun else { return APIKeyPruning(deleted: matched.map(\.key), stillReferenced: [], undatedRevocations: undated) }
        var deleted: [APIKeyPruning.Key] = []
        var referenced: [String] = []
        for (key, _) in matched {
            do {
                try await delete(prefix: key.prefix)
                deleted.append(key)
            } catch let error as APIKeyManagerError where error.code == .stillReferenced {
                referenced.append(key.prefix)
            } catch let error as APIKeyManagerError where error.code == .notFound {
                continue  // Deleted meanwhile.
            }
        }
        return APIKeyPruning(deleted: deleted, stillReferenced: referenced, undatedRevocations: undated)
    }
}
