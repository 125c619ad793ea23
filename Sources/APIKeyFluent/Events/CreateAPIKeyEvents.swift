public import FluentKit
import SQLKit

/// Creates `api_key_events`, where the app's key events are kept when
/// `APIKeySettings.recordsEvents` is on: for every key model of the app (a row names its key
/// table and prefix), for the admin panel's audit pages and `api-keys events`. Part of
/// ``APIKeyMigrations/all``.
///
/// ```swift
/// app.migrations.add(CreateDjangoAPIKeys(), CreateAPIKeyEvents())
/// ```
public struct CreateAPIKeyEvents: AsyncMigration {
    /// A stable name, so that moving or renaming this type never re-runs it.
    public var name: String { "APIKeyFluent.CreateAPIKeyEvents" }

    /// The migration.
    public init() {}

    /// Creates the table, with an index for one key's events.
    public func prepare(on database: any Database) async throws {
        try await database.schema(EventTable.name)
            .field(EventTable.id, .int64, .identifier(auto: true))
            .field(EventTable.at, .datetime, .required)
            .field(EventTable.kind, .string, .required)
            .field(EventTable.keyTable, .string, .required)
            .field(EventTable.prefix, .string, .required)
            .field(EventTable.keyName, .string)
            .field(EventTable.detail, .string)
            .field(EventTable.source, .string)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.create(index: "api_key_events_by_key").on(EventTable.name)
                .column(EventTable.keyTable.description).column(EventTable.prefix.description).run()
        }
    }

    /// Drops it.
    public func revert(on database: any Database) async throws {
        try await database.schema(EventTable.name).delete()
    }
}
