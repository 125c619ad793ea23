public import FluentKit

/// Adds the columns of ``RotatableAPIKeyModel`` (`rotated_from`, `replaced_by`, `replaced_at`)
/// to the `api_keys` table of ``APIKey``. Existing keys were never rotated.
///
/// ```swift
/// app.migrations.add(APIKeyMigrations.all)   // includes it
/// ```
public struct AddAPIKeyRotation: AsyncMigration {
    /// A stable name, so that moving or renaming this type never re-runs it.
    public var name: String { "APIKeyFluent.AddAPIKeyRotation" }

    /// The migration.
    public init() {}

    /// Adds the columns.
    public func prepare(on database: any Database) async throws {
        try await database.addAPIKeyRotation(toTable: APIKey.schema)
    }

    /// Removes them.
    public func revert(on database: any Database) async throws {
        // One column per statement: SQLite changes one at a time.
        for column in [APIKeyColumn.replacedAt, APIKeyColumn.replacedBy, APIKeyColumn.rotatedFrom] {
            try await database.schema(APIKey.schema).deleteField(column).update()
        }
    }
}

extension Database {
    /// Adds the columns of ``RotatableAPIKeyModel`` to a key table: for a custom model's
    /// migration, after its table exists.
    ///
    /// ```swift
    /// try await database.addAPIKeyRotation(toTable: OrganizationAPIKey.schema)
    /// ```
    public func addAPIKeyRotation(toTable table: String) async throws {
        // One column per statement: SQLite adds one at a time.
        try await schema(table).field(APIKeyColumn.rotatedFrom, .string).update()
        try await schema(table).field(APIKeyColumn.replacedBy, .string).update()
        try await schema(table).field(APIKeyColumn.replacedAt, .datetime).update()
    }
}
