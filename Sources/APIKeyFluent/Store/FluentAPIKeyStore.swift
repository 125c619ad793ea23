public import APIKeyCore
public import FluentKit

/// An ``APIKeyCore/APIKeyStore`` over a Fluent database: one indexed lookup by prefix, through
/// the model's ``APIKeyModel/usableKeys(_:)``, answered with an immutable ``APIKeyRow``.
///
/// ```swift
/// let verifier = APIKeyVerifier(store: FluentAPIKeyStore(APIKey.self, on: db))
/// ```
public struct FluentAPIKeyStore<Model: APIKeyModel>: APIKeyStore {
    /// Where the keys live.
    public let database: any Database

    /// A store of `model` keys on `database`.
    public init(_ model: Model.Type, on database: any Database) {
        self.database = database
    }

    /// The usable key with this prefix (revoked ones included; the verifier refuses them).
    public func record(forPrefix prefix: String) async throws -> APIKeyRow<Model>? {
        try await Model.usableKeys(Model.query(on: database)).filter(Model.prefixField == prefix).first().map(APIKeyRow.init)
    }

    /// Rewrites the hash of `record`'s row if it still holds `record.hashedKey`; touches no other
    /// column.
    public func replaceHash(of record: APIKeyRow<Model>, with newHash: String) async throws {
        try await Model.query(on: database)
            .filter(Model.prefixField == record.prefix)
            .filter(Model.hashedKeyField == record.hashedKey)
            .set(Model.hashedKeyField, to: newHash)
            .update()
    }
}
