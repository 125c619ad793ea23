public import FluentKit

/// Creates `api_key_rate_budget`, where instances that count rate limits across instances
/// (`RateLimitSharing.acrossInstances()`) lease their slices of each key's budget: one row per
/// key and window, for every key model of the app. Part of ``APIKeyMigrations/all``.
///
/// ```swift
/// app.migrations.add(CreateAPIKeyRateBudgets())
/// ```
public struct CreateAPIKeyRateBudgets: AsyncMigration {
    /// A stable name, so that moving or renaming this type never re-runs it.
    public var name: String { "APIKeyFluent.CreateAPIKeyRateBudgets" }

    /// The migration.
    public init() {}

    /// Creates the table.
    public func prepare(on database: any Database) async throws {
        try await database.schema(RateBudgetTable.name)
            .field(RateBudgetTable.keyTable, .string, .required)
            .field(RateBudgetTable.prefix, .string, .required)
            .field(RateBudgetTable.windowStart, .int64, .required)
            .field(RateBudgetTable.windowEnd, .int64, .required)
            .field(RateBudgetTable.budget, .int64, .required)
            .field(RateBudgetTable.leased, .int64, .required)
            .field(RateBudgetTable.granted, .int64, .required)
            .unique(on: RateBudgetTable.keyTable, RateBudgetTable.prefix, RateBudgetTable.windowStart)
            .create()
    }

    /// Drops it.
    public func revert(on database: any Database) async throws {
        try await database.schema(RateBudgetTable.name).delete()
    }
}
