public import FluentKit

/// Creates the two tables where keys' use is kept, for every key model of the app (ours, a
/// custom model's and Django's alike; a row names its key table and prefix, so no key table
/// changes): `api_key_last_use` (each key's latest granted request) and `api_key_daily_usage`
/// (requests per key, day and outcome). Part of ``APIKeyMigrations/all``.
///
/// ```swift
/// app.migrations.add(CreateDjangoAPIKeys(), CreateAPIKeyUsage())
/// ```
public struct CreateAPIKeyUsage: AsyncMigration {
    /// A stable name, so that moving or renaming this type never re-runs it.
    public var name: String { "APIKeyFluent.CreateAPIKeyUsage" }

    /// The migration.
    public init() {}

    /// Creates the tables.
    public func prepare(on database: any Database) async throws {
        try await database.schema(UsageTables.lastUse)
            .field(UsageTables.keyTable, .string, .required)
            .field(UsageTables.prefix, .string, .required)
            .field(UsageTables.lastUsedAt, .datetime, .required)
            .unique(on: UsageTables.keyTable, UsageTables.prefix)
            .create()
        try await database.schema(UsageTables.daily)
            .field(UsageTables.keyTable, .string, .required)
            .field(UsageTables.prefix, .string, .required)
            .field(UsageTables.day, .string, .required)
            .field(UsageTables.outcome, .string, .required)
            .field(UsageTables.requests, .int64, .required)
            .unique(on: UsageTables.keyTable, UsageTables.prefix, UsageTables.day, UsageTables.outcome)
            .create()
    }

    /// Drops them.
    public func revert(on database: any Database) async throws {
        try await database.schema(UsageTables.daily).delete()
        try await database.schema(UsageTables.lastUse).delete()
    }
}
