public import APIKeyCore
public import FluentKit

/// An `APIKeyStore` over a Fluent database: one indexed lookup by prefix, through
/// the model's ``APIKeyModel/usableKeys(_:)``, answered with an immutable ``APIKeyRow``. Apps get
/// verification through `app.apiKeys`; this is for `APIKeyVerifier` on its own and for
/// the store conformance suite (`APIKeyTesting`).
///
/// ```swift
/// let verifier = APIKeyVerifier(store: FluentAPIKeyStore(APIKey.self, on: db))
/// ```
public struct FluentAPIKeyStore<Model: APIKeyModel>: APIKeyStore {
    /// Where the keys live.
    public let database: any Database

    /// Told of each legacy hash rewritten: the service counts it and publishes the event.
    private let upgraded: (@Sendable (String) async -> Void)?

    /// A store of `model` keys on `database`.
    public init(_ model: Model.Type, on database: any Database) {
        self.database = database
        self.upgraded = nil
    }

    /// A store that tells `upgraded` the prefix of each legacy hash it rewrites.
    package init(_ model: Model.Type, on database: any Database, upgraded: @escaping @Sendable (String) async -> Void) {
        self.database = database
        self.upgraded = upgraded
    }

    /// The usable key with this prefix (revoked ones included; the verifier refuses them). A row
    /// that cannot be read (a column holds what its type cannot, such as a date that is not a
    /// date) is returned as unreadable, logged at `error` once per lookup, and refused: a bad
    /// row never stops the server, and never answers 503 as if the database were down.
    public func record(forPrefix prefix: String) async throws -> APIKeyRow<Model>? {
        do {
            if let usable = try await Model.usableKeys(Model.query(on: database)).filter(prefix: prefix).first() {
                return row(of: usable, prefix: prefix)
            }
            // Only for a model with a rule of its own, and only when the usable lookup found nothing:
            // a prefix that exists but is refused by the rule is told apart (for logs: `unusable`,
            // not `unknown_prefix`). The answer to the client is the same 401.
            guard Model.hasUsabilityRule(on: database),
                let refused = try await Model.query(on: database).filter(prefix: prefix).first()
            else { return nil }
            return APIKeyRow(unusable: refused)
        } catch let error as FluentError {
            guard case .invalidField(let column, _, _) = error else { throw error }
            return unreadable(prefix, metadata: ["column": .string(column)])
        }
    }

    /// The row of a fetched model. The database has answered: whatever fails now (the model's
    /// identity details, say) is this row's fault, refused as unreadable, never a 503.
    private func row(of model: Model, prefix: String) -> APIKeyRow<Model> {
        do {
            return try APIKeyRow(model)
        } catch let FluentError.invalidField(column, _, _) {
            return unreadable(prefix, metadata: ["column": .string(column)])
        } catch is UnreadableRateLimit {
            return unreadable(prefix, metadata: ["column": .string(APIKeyColumn.rateLimit.description)])
        } catch {
            return unreadable(prefix, metadata: ["reason": .string("its identity details could not be read")])
        }
    }

    private func unreadable(_ prefix: String, metadata: Logger.Metadata) -> APIKeyRow<Model> {
        database.logger.error(
            "API key row cannot be read: its column holds a value of the wrong kind; the key is refused until the row is repaired",
            metadata: metadata.merging([APIKeyLog.prefixKey: .string(prefix), "table": .string(Model.schema)]) { new, _ in new })
        return APIKeyRow(unreadablePrefix: prefix)
    }

    /// Rewrites the hash of `record`'s row if it still holds `record.hashedKey`; touches no other
    /// column.
    public func replaceHash(of record: APIKeyRow<Model>, with newHash: String) async throws {
        try await Model.query(on: database)
            .filter(prefix: record.prefix)
            .filter(hashedKey: record.hashedKey)
            .set([Model.hashedKeyKey: .bind(newHash)])
            .update()
        await upgraded?(record.prefix)
    }
}

extension APIKeyModel {
    /// Whether ``usableKeys(_:)`` narrows the query at all (adds a join or a filter): the
    /// default keeps every key, and then a missing prefix needs no second look.
    package static func hasUsabilityRule(on database: any Database) -> Bool {
        let plain = query(on: database).query
        let ruled = usableKeys(query(on: database)).query
        return ruled.joins.count != plain.joins.count || ruled.filters.count != plain.filters.count
    }
}
