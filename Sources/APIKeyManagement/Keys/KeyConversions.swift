import APIKeyManagementContract
import APIKeyCore
import APIKeyFluent
import OpenAPIRuntime
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// The library's values as the contract's, and back.

extension Components.Schemas.Key {
    init(_ summary: APIKeySummary) throws {
        self.init(
            prefix: summary.prefix, name: summary.name, createdAt: summary.createdAt, expiresAt: summary.expiresAt, revoked: summary.revoked,
            expired: summary.expired, suspended: summary.suspended, status: StatusPayload(rawValue: summary.status) ?? .unusable,
            scopes: summary.scopes, allowedIps: summary.allowedIPs,
            metadata: MetadataPayload(additionalProperties: try JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data(summary.metadata.json.utf8))),
            rateLimit: summary.rateLimit, lastUsedAt: summary.lastUsedAt, rotatedFrom: summary.rotatedFrom, replacedBy: summary.replacedBy)
    }
}

extension Components.Schemas.Usage {
    init(_ usage: APIKeyUsage) {
        self.init(
            prefix: usage.prefix, lastUsedAt: usage.lastUsedAt,
            days: usage.days.map {
                DaysPayloadPayload(day: $0.day, granted: $0.granted, refused: .init(additionalProperties: $0.refused), rateLimited: $0.rateLimited)
            })
    }
}

extension Components.Schemas.Event {
    init(_ event: APIKeyEvent) {
        self.init(
            at: event.at, kind: event.kind.code, keyTable: event.keyTable, prefix: event.prefix, name: event.name, detail: event.detail,
            source: event.source)
    }
}

extension APIKeyMetadata {
    /// The metadata a request gave, checked as every key's is (a JSON object of at most 4 KiB).
    init(_ container: OpenAPIObjectContainer) throws(APIKeyFieldError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        guard let data = try? encoder.encode(container) else {
            throw APIKeyFieldError(field: .metadata, description: "The metadata must be a JSON object.")
        }
        try self.init(json: String(decoding: data, as: UTF8.self))
    }
}
