import APIKeyCore
import APIKeyFluent
import FluentKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// ``KeySpace`` over `Model`'s keys: all of them, or one owner's.
struct OwnedKeys<Model: APIKeyModel>: KeySpace {
    let manager: APIKeyManager<Model>
    /// The caller's owner; `nil` for a model without owners.
    let owner: String?
    let ownership: APIKeyOwnership<Model>?
    /// What the caller holds: no key it makes or changes gets more.
    let callerScopes: APIKeyScopes
    /// The caller's own key, which it may read but not change: a management key that suspended,
    /// rotated or deleted itself would lock its owner out.
    let callerPrefix: String

    var now: Date { manager.now() }

    /// Narrows a query to the caller's owner's keys.
    private func narrow(_ query: QueryBuilder<Model>) -> QueryBuilder<Model> {
        guard let ownership, let owner else { return query }
        return ownership.filter(query, owner)
    }

    func list(_ query: APIKeyQuery, madeBy snapshot: Date) async throws -> (keys: [APIKeySummary], total: Int) {
        let page = try await manager.list(query, narrowedBy: { narrow($0).filter(createdAtOrBefore: snapshot) })
        return (page.summaries, page.total)
    }

    func summary(of prefix: String) async throws -> APIKeySummary {
        let page = try await manager.list(APIKeyQuery(limit: 1), narrowedBy: { narrow($0).filter(prefix: prefix) })
        guard let summary = page.summaries.first else { throw ManagementProblem.notFound(prefix: prefix) }
        return summary
    }

    /// The key with `prefix`, if the caller's owner has it and it is not the caller's own.
    private func changeable(_ prefix: String) async throws -> Model {
        let model = try await model(prefix)
        guard prefix != callerPrefix else {
            throw ManagementProblem.conflict(
                "A key cannot change itself through the management API: that could lock its owner out. Use another key that holds keys:manage, or the api-keys commands.")
        }
        return model
    }

    /// The key with `prefix`, if the caller's owner has it.
    private func model(_ prefix: String) async throws -> Model {
        // One query: the prefix within the caller's owner's keys.
        guard let model = try await narrow(Model.query(on: manager.database)).filter(prefix: prefix).first() else {
            throw ManagementProblem.notFound(prefix: prefix)
        }
        return model
    }

    /// Refuses scopes the app does not declare (422), then those the caller does not hold (403).
    private func requireHeld(_ scopes: [String]) throws {
        _ = try manager.service.settings.scopes.validate(scopes)
        let missing = scopes.filter { !callerScopes.contains($0) }
        guard missing.isEmpty else { throw ManagementProblem.scopeEscalation(Array(Set(missing)).sorted()) }
    }

    func create(_ fields: NewKeyFields) async throws -> (summary: APIKeySummary, key: PlaintextAPIKey) {
        try requireHeld(fields.scopes)
        if let expiresAt = fields.expiresAt { try APIKeyManager<Model>.validate(newExpiry: expiresAt, now: manager.now()) }
        let (model, key) = try await manager.createKey(
            name: fields.name, expiresAt: fields.expiresAt, scopes: fields.scopes, allowedIPs: fields.allowedIPs, metadata: fields.metadata,
            rateLimit: fields.rateLimit,
            configure: { model in if let ownership, let owner { ownership.assign(model, owner) } })
        return (try await summary(of: model.prefix), key)
    }

    func update(_ prefix: String, _ edit: KeyEdit) async throws -> APIKeySummary {
        let model = try await changeable(prefix)
        if let name = edit.name { model.name = name }
        if let expiresAt = edit.expiresAt {
            if let date = expiresAt { try APIKeyManager<Model>.validate(newExpiry: date, now: manager.now()) }
            model.expiresAt = expiresAt
        }
        if let rateLimit = edit.rateLimit {
            guard let rated = model as? any RateLimitedAPIKeyModel else { throw APIKeyManagerError.notSupported(by: "\(Model.self)") }
            rated.rateLimit = rateLimit?.description
        }
        if edit.scopes != nil || edit.allowedIPs != nil || edit.metadata != nil {
            guard let limited = model as? any AccessControlledAPIKeyModel else { throw APIKeyManagerError.notSupported(by: "\(Model.self)") }
            if let scopes = edit.scopes {
                try requireHeld(scopes)
                limited.scopes = scopes
            }
            if let allowedIPs = edit.allowedIPs { limited.allowedIPs = allowedIPs }
            if let metadata = edit.metadata { limited.metadata = metadata }
        }
        try await manager.update(model)
        return try await summary(of: prefix)
    }

    func delete(_ prefix: String) async throws {
        _ = try await changeable(prefix)
        try await manager.delete(prefix: prefix)
    }

    func rotate(_ prefix: String, grace: Duration, expiresAt: Date?) async throws -> (summary: APIKeySummary, key: PlaintextAPIKey) {
        let old = try await changeable(prefix)
        // The new key holds the old one's scopes: a caller that lacks one would give it.
        try requireHeld(old.access.scopes.names)
        if let expiresAt { try APIKeyManager<Model>.validate(newExpiry: expiresAt, now: manager.now()) }
        let (model, key) = try await manager.rotate(prefix: prefix, grace: grace, expiresAt: expiresAt)
        return (try await summary(of: model.prefix), key)
    }

    func suspend(_ prefix: String) async throws -> APIKeySummary {
        _ = try await changeable(prefix)
        try await manager.suspend(prefixes: [prefix])
        return try await summary(of: prefix)
    }

    func resume(_ prefix: String) async throws -> APIKeySummary {
        _ = try await changeable(prefix)
        try await manager.resume(prefixes: [prefix])
        return try await summary(of: prefix)
    }

    func revoke(_ prefix: String) async throws -> APIKeySummary {
        _ = try await changeable(prefix)
        try await manager.revoke(prefixes: [prefix])
        return try await summary(of: prefix)
    }

    func usage(of prefix: String, days: Int) async throws -> APIKeyUsage {
        _ = try await model(prefix)
        return try await manager.usage(of: prefix, days: days)
    }

    func events(of prefix: String, limit: Int) async throws -> [APIKeyEvent] {
        _ = try await model(prefix)
        guard manager.service.settings.recordsEvents else { return [] }
        return try await manager.events(prefix: prefix, limit: limit)
    }
}
