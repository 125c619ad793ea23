public import FluentKit
import FluentSQL
import SQLKit

/// Adds the columns of ``AccessControlledAPIKeyModel`` to the `api_keys` table of ``APIKey``:
/// `scopes`, `suspended`, `allowed_ips` and `metadata`. Existing keys keep verifying: they get no
/// scopes, are not suspended, and may be used from anywhere.
///
/// ```swift
/// app.migrations.add(CreateAPIKeys(), AddAPIKeyAccessFields())
/// try await app.autoMigrate()
/// ```
public struct AddAPIKeyAccessFields: AsyncMigration {
    /// A stable name, so that moving or renaming this type never re-runs it.
    public var name: String { "APIKeyFluent.AddAPIKeyAccessFields" }

    /// The migration.
    public init() {}

    /// Adds the columns.
    public func prepare(on database: any Database) async throws {
        try await database.addAPIKeyAccessFields(toTable: APIKey.schema)
    }

    /// Removes them.
    public func revert(on database: any Database) async throws {
        try await database.removeAPIKeyAccessFields(fromTable: APIKey.schema)
    }
}

extension Database {
    /// Adds the columns of ``AccessControlledAPIKeyModel``, named as in ``APIKeyColumn``, to a
    /// key table: for a custom model's migration, after its table exists. Rows already there get
    /// no scopes, are not suspended, and may be used from anywhere.
    ///
    /// ```swift
    /// try await database.schema(OrganizationAPIKey.schema).id().apiKeyFields().create()
    /// try await database.addAPIKeyAccessFields(toTable: OrganizationAPIKey.schema)
    /// ```
    public func addAPIKeyAccessFields(toTable table: String) async throws {
        // A list is a text array on PostgreSQL and JSON text on SQLite, as Fluent stores `[String]`;
        // its empty value is spelled accordingly.
        let emptyList = (self as? any SQLDatabase)?.dialect.name == "postgresql" ? "{}" : "[]"
        // One column per statement: SQLite adds one at a time.
        try await schema(table).field(APIKeyColumn.scopes, .array(of: .string), .required, .sql(.default(SQLLiteral.string(emptyList)))).update()
        try await schema(table).field(APIKeyColumn.suspended, .bool, .required, .sql(.default(false))).update()
        try await schema(table).field(APIKeyColumn.allowedIPs, .array(of: .string), .required, .sql(.default(SQLLiteral.string(emptyList)))).update()
        try await schema(table).field(APIKeyColumn.metadata, .json).update()
    }

    /// Removes what ``addAPIKeyAccessFields(toTable:)`` added.
    public func removeAPIKeyAccessFields(fromTable table: String) async throws {
        for column in [APIKeyColumn.metadata, APIKeyColumn.allowedIPs, APIKeyColumn.suspended, APIKeyColumn.scopes] {
            try await schema(table).deleteField(column).update()
        }
    }
}
