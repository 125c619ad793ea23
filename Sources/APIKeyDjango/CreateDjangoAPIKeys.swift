public import FluentKit
import SQLKit

/// Creates upstream's `rest_framework_api_key_apikey` table exactly as Django 5.2's migrations
/// leave it, unless it already exists. A table made by Django is left alone, column for column:
/// this migration never alters or drops it, and reverting it does nothing.
///
/// ```swift
/// app.migrations.add(CreateDjangoAPIKeys())
/// ```
public struct CreateDjangoAPIKeys: AsyncMigration {
    /// A stable name, so that moving or renaming this type never re-runs it.
    public var name: String { "APIKeyDjango.CreateDjangoAPIKeys" }

    /// The migration.
    public init() {}

    /// Creates the table (PostgreSQL or SQLite) if no table of that name exists.
    public func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw UnsupportedDatabase() }
        let table = DjangoAPIKey.schema
        switch sql.dialect.name {
        case "postgresql":
            let exists = try await sql.raw("SELECT to_regclass(\(bind: table))::text AS name").first(decoding: Existing.self)
            guard exists?.name == nil else { return }
            try await sql.raw("""
                CREATE TABLE "rest_framework_api_key_apikey" ("id" varchar(150) NOT NULL PRIMARY KEY, "prefix" varchar(8) NOT NULL UNIQUE, \
                "hashed_key" varchar(150) NOT NULL, "created" timestamp with time zone NOT NULL, "name" varchar(50) NOT NULL, \
                "revoked" boolean NOT NULL, "expiry_date" timestamp with time zone NULL)
                """).run()
            try await sql.raw(#"CREATE INDEX "rest_framework_api_key_apikey_id_6e07e68e_like" ON "rest_framework_api_key_apikey" ("id" varchar_pattern_ops)"#).run()
            try await sql.raw(#"CREATE INDEX "rest_framework_api_key_apikey_prefix_4e0db5f8_like" ON "rest_framework_api_key_apikey" ("prefix" varchar_pattern_ops)"#).run()
            try await sql.raw(#"CREATE INDEX "rest_framework_api_key_apikey_created_c61872d9" ON "rest_framework_api_key_apikey" ("created")"#).run()
        case "sqlite":
            let exists = try await sql.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = \(bind: table)").first(decoding: Existing.self)
            guard exists == nil else { return }
            try await sql.raw("""
                CREATE TABLE "rest_framework_api_key_apikey" ("created" datetime NOT NULL, "name" varchar(50) NOT NULL, \
                "revoked" bool NOT NULL, "expiry_date" datetime NULL, "hashed_key" varchar(150) NOT NULL, \
                "prefix" varchar(8) NOT NULL UNIQUE, "id" varchar(150) NOT NULL PRIMARY KEY)
                """).run()
            try await sql.raw(#"CREATE INDEX "rest_framework_api_key_apikey_created_c61872d9" ON "rest_framework_api_key_apikey" ("created")"#).run()
        default:
            throw UnsupportedDatabase()
        }
    }

    /// Does nothing: the table may be Django's, and its data is never ours to drop.
    public func revert(on database: any Database) async throws {}

    private struct Existing: Decodable { let name: String? }

    /// Only PostgreSQL and SQLite are supported.
    struct UnsupportedDatabase: Error, CustomStringConvertible {
        /// What went wrong.
        var description: String { "CreateDjangoAPIKeys supports PostgreSQL and SQLite" }
    }
}
