import APIKeyCore
import FluentKit
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

extension APIKeyManager {
    /// The longest grace period a rotation accepts.
    static var longestGrace: Duration { .seconds(366 * 86_400) }

    /// Replaces a key with a new one that keeps its name, scopes, allowlist, metadata and rate
    /// limit, and returns the new key, which exists nowhere else. The old key keeps working for
    /// `grace` (zero: it stops at once, or at its own expiry if that comes first), and requests
    /// that carry it meanwhile get `Deprecation` and `Sunset` in their responses. Each key
    /// remembers the other (``RotatableAPIKeyModel``).
    ///
    /// A custom model copies its own fields (an owner, say) in
    /// ``RotatableAPIKeyModel/prepareReplacement(_:)``, so that the commands and the admin panel
    /// rotate its keys as code does.
    ///
    /// ```swift
    /// let (replacement, key) = try await keys.rotate(prefix: "C7oAzBnJ", grace: .seconds(86_400))
    /// print(key.reveal())   // once
    /// ```
    /// - Parameters:
    ///   - prefix: The key to replace; a whole key is taken as its prefix.
    ///   - grace: How long the old key keeps working: none to a year.
    ///   - expiresAt: When the new key stops working; `nil` for never.
    /// - Throws: ``APIKeyManagerError`` ``APIKeyManagerError/Code/notFound``,
    ///   ``APIKeyManagerError/Code/revocationIsFinal`` for a revoked key,
    ///   ``APIKeyManagerError/Code/notRotatable`` for a suspended, expired or already rotated one,
    ///   ``APIKeyManagerError/Code/invalidGrace``, ``APIKeyManagerError/Code/invalidExpiry``,
    ///   ``APIKeyManagerError/Code/notSupported`` for a model that keeps no lineage.
    public func rotate(prefix: String, grace: Duration, expiresAt: Date? = nil) async throws -> (model: Model, key: PlaintextAPIKey) {
        guard let rotatable = Model.self as? any RotatableAPIKeyModel.Type else {
            throw APIKeyManagerError.rotationNotSupported(by: "\(Model.self)")
        }
        guard grace >= .zero, grace <= Self.longestGrace else {
            throw APIKeyManagerError.invalidGrace("A grace period is from none (the old key stops at once) to 366 days.")
        }
        let now = now()
        if let expiresAt {
            try Self.validate(newExpiry: expiresAt, now: now)
            guard StoredDate.isOrdinary(expiresAt) else {
                throw APIKeyManagerError.invalidExpiry("An expiry must be between 0001-01-01 and 9999-12-31 (UTC); for a key that never expires, give none.")
            }
        }
        let shown = SecretRedaction.prefix(ofInput: prefix)
        let service = self.service
        let (old, new, key) = try await database.transaction { database in
            var keys = APIKeyManager(on: database, service: service)
            keys.publishesEvents = false
            guard let old = try await keys.model(prefix: shown) else { throw APIKeyManagerError.notFound(prefix: shown) }
            try Self.checkRotatable(old, now: now)
            let access = old.access
            let (new, key) = try await keys.createKey(
                name: old.name, expiresAt: expiresAt, scopes: access.scopes.names, allowedIPs: access.allowedIPs,
                metadata: access.metadata.isEmpty ? nil : access.metadata, rateLimit: access.rateLimit
            ) { new in
                (old as? any RotatableAPIKeyModel)?.prepare(replacement: new)
            }
            // Claimed only if no other rotation claimed it first: two at once make one new key.
            try await Model.query(on: database).filter(prefix: old.prefix).filter(revoked: false)
                .filter(Model.column(rotatable.replacedByKey), .equal, .null)
                .set([rotatable.replacedByKey: .bind(new.prefix)])
                .update()
            guard let claimed = try await keys.model(prefix: old.prefix) as? any RotatableAPIKeyModel, claimed.replacedBy == new.prefix else {
                throw APIKeyManagerError.notRotatable("The API key \(old.prefix) was rotated meanwhile; rotate its replacement instead.")
            }
            let sunset = now.addingTimeInterval(grace.timeInterval)
            claimed.replacedAt = now
            claimed.expiresAt = min(old.effectiveExpiry ?? sunset, sunset)
            try await claimed.save(on: database)
            return (old, new, key)
        }
        service.forget(prefix: old.prefix)
        await publish(.created, prefixes: [new.prefix], name: new.name, detail: "replaces \(old.prefix)")
        await publish(.rotated, prefixes: [old.prefix], name: old.name, detail: "replaced by \(new.prefix)")
        return (new, key)
    }

    /// The prefixes of the keys `prefix` replaced, newest first, back to the first: its lineage.
    ///
    /// ```swift
    /// try await keys.lineage(of: "Zr8bQ1xa")   // ["C7oAzBnJ", "0t7Nnh4P"]
    /// ```
    public func lineage(of prefix: String) async throws -> [String] {
        var lineage: [String] = []
        var current = try await model(prefix: prefix) as? any RotatableAPIKeyModel
        // A loop written by hand in the database must not loop here.
        while let earlier = current?.rotatedFrom, !lineage.contains(earlier), lineage.count < 1_000 {
            lineage.append(earlier)
            current = try await model(prefix: earlier) as? any RotatableAPIKeyModel
        }
        return lineage
    }

    /// Refuses a key that is revoked, suspended, expired or already rotated.
    private static func checkRotatable(_ old: Model, now: Date) throws(APIKeyManagerError) {
        if old.isRevoked { throw .revocationIsFinal }
        if (old as? any AccessControlledAPIKeyModel)?.isSuspended == true {
            throw .notRotatable("The API key \(old.prefix) is suspended; resume it first, or create a new key.")
        }
        if old.hasEffectivelyExpired(at: now) {
            throw .notRotatable("The API key \(old.prefix) has expired; create a new key instead.")
        }
        if let replacement = (old as? any RotatableAPIKeyModel)?.replacedBy {
            throw .notRotatable("The API key \(old.prefix) was already rotated, to \(replacement); rotate that key instead.")
        }
    }

}
