public import APIKeyFluent
public import FluentKit

/// A Fluent key model's table as a fixture, for ``APIKeyStoreConformance``: run the suite on
/// your own model to check its mapping and its usable-keys rule.
///
/// ```swift
/// let fixture = FluentStoreFixture(OrganizationAPIKey.self, on: db) { $0.$organization.id = acme.id! }
/// try await APIKeyStoreConformance(fixture).run()
/// ```
public struct FluentStoreFixture<Model: APIKeyModel>: APIKeyStoreFixture {
    /// The store under test.
    public let store: FluentAPIKeyStore<Model>
    private let configure: @Sendable (Model) -> Void

    /// A fixture over `model`'s table on `database`; `configure` sets a custom model's own fields
    /// (an owner) on every row it inserts.
    public init(_ model: Model.Type, on database: any Database, configure: @escaping @Sendable (Model) -> Void = { _ in }) {
        self.store = FluentAPIKeyStore(model, on: database)
        self.configure = configure
    }

    /// Inserts a row through the model, as `APIKeyManager` would.
    public func insert(_ key: APIKeyStoreFixtureKey) async throws {
        let model = Model()
        // The model's own way of taking a key, so that derived columns (upstream's `id`) are set;
        // only the prefix and the hash reach the row.
        model.assignKey(NewAPIKey(plaintext: PlaintextAPIKey(prefix: key.prefix, secret: "-"), hashedKey: key.hashedKey))
        model.name = key.name
        model.isRevoked = key.isRevoked
        model.expiresAt = key.expiresAt
        configure(model)
        try await model.create(on: store.database)
    }

    /// Sets `revoked` in the row.
    public func revoke(prefix: String) async throws {
        try await Model.query(on: store.database).filter(prefix: prefix).set([Model.revokedKey: .bind(true)]).update()
    }

    /// Deletes the row.
    public func delete(prefix: String) async throws {
        try await Model.query(on: store.database).filter(prefix: prefix).delete()
    }

    /// Reads the row's hash.
    public func storedHash(prefix: String) async throws -> String? {
        try await Model.query(on: store.database).filter(prefix: prefix).first()?.hashedKey
    }
}
