public import FluentKit

/// Creates the `api_keys` table of ``APIKey``, with a unique index on `prefix` and a database
/// guard that refuses to un-revoke a key.
///
/// ```swift
/// app.migrations.add(CreateAPIKeys())
/// ```
public struct CreateAPIKeys: AsyncMigration {
    /// A stable name, so that moving or renaming this type never re-runs it.
    public var name: String { "APIKeyFluent.CreateAPIKeys" }

    /// The migration.
    public init() {}

    /// Creates the table and its revocation guard.
    public func prepare(on database: any Database) async throws {
        try await database.schema(APIKey.schema).id().apiKeyFields().create()
        try await database.createRevocationGuard(onTable: APIKey.schema)
    }

    /// Drops the table (and with it the guard).
    public func revert(on database: any Database) async throws {
        try await database.dropRevocationGuard(onTable: APIKey.schema)
        try await database.schema(APIKey.schema).delete()
    }
}

extension SchemaBuilder {
    /// Adds the columns every API key model has, named as in ``APIKeyColumn``: `prefix` (unique),
    /// `hashed_key`, `name`, `created_at`, `revoked` and `expires_at`. For custom models'
    /// migrations; follow it with `Database.createRevocationGuard(onTable:)`.
    ///
    /// ```swift
    /// try await database.schema(OrganizationAPIKey.schema)
    ///     .id()
    ///     .apiKeyFields()
    ///     .field("organization_id", .uuid, .required, .references(Organization.schema, .id, onDelete: .cascade))
    ///     .create()
    /// try await database.createRevocationGuard(onTable: OrganizationAPIKey.schema)
    /// ```
    public func apiKeyFields() -> Self {
        self.field(APIKeyColumn.prefix, .string, .required)
            .unique(on: APIKeyColumn.prefix)
            .field(APIKeyColumn.hashedKey, .string, .required)
            .field(APIKeyColumn.name, .string, .required)
            .field(APIKeyColumn.createdAt, .datetime, .required)
            .field(APIKeyColumn.revoked, .bool, .required)
            .field(APIKeyColumn.expiresAt, .datetime)
    }
}
