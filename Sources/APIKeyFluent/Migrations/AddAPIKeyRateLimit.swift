public import FluentKit

/// Adds the `rate_limit` column of ``RateLimitedAPIKeyModel`` to the `api_keys` table of
/// ``APIKey``. Existing keys get none of their own: the app's default applies to them.
///
/// ```swift
/// app.migrations.add(APIKeyMigrations.all)   // includes it
/// ```
public struct AddAPIKeyRateLimit: AsyncMigration {
    /// A stable name, so that moving or renaming this type never re-runs it.
    public var name: String { "APIKeyFluent.AddAPIKeyRateLimit" }

    /// The migration.
    public init() {}

    /// Adds the column.
    public func prepare(on database: any Database) async throws {
        try await database.addAPIKeyRateLimit(toTable: APIKey.schema)
    }

    /// Removes it.
    public func revert(on database: any Database) async throws {
        try await database.schema(APIKey.schema).deleteField(APIKeyColumn.rateLimit).update()
    }
}

extension Database {
    /// Adds the `rate_limit` column of ``RateLimitedAPIKeyModel`` to a key table: for a custom
    /// model's migration, after its table exists.
    ///
    /// ```swift
    /// try await database.addAPIKeyRateLimit(toTable: OrganizationAPIKey.schema)
    /// ```
    public func addAPIKeyRateLimit(toTable table: String) async throws {
        try await schema(table).field(APIKeyColumn.rateLimit, .string).update()
    }
}
