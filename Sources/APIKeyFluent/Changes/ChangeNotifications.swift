public import FluentKit
import FluentSQL
import SQLKit

extension Database {
    /// Makes the database announce every change to a key table, so that an
    /// ``APIKeyChangeWatcher`` in each instance hears of it, whoever made it: this library, a
    /// bulk update, raw SQL, or Django on its own table.
    ///
    /// On PostgreSQL it installs a trigger that notifies ``APIKeyChange/channel`` with the key's
    /// prefix when a row is inserted, updated or deleted (delivered when the transaction commits).
    /// On SQLite, triggers count the table's changes in `api_key_change_count`, so that the
    /// watcher can tell them from the file's other writes (usage, sessions, the app's own tables)
    /// and keeps its caches through those. On other databases it does nothing.
    ///
    /// ```swift
    /// try await database.createChangeNotifications(onTable: OrganizationAPIKey.schema)
    /// ```
    /// - Parameters:
    ///   - table: The table of an ``APIKeyModel``.
    ///   - prefixColumn: Its prefix column.
    public func createChangeNotifications(onTable table: String, prefixColumn: String = APIKeyColumn.prefix.description) async throws {
        guard let sql = self as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            try await ChangeNotifications.createCounter(onTable: table, on: sql)
            return
        }
        guard sql.dialect.name == "postgresql" else { return }
        let name = ChangeNotifications.triggerName(table)
        try await sql.raw("""
            CREATE OR REPLACE FUNCTION \(ident: name)() RETURNS trigger AS $$
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    PERFORM pg_notify(\(literal: APIKeyChange.channel), OLD.\(ident: prefixColumn));
                END IF;
                IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.\(ident: prefixColumn) <> OLD.\(ident: prefixColumn)) THEN
                    PERFORM pg_notify(\(literal: APIKeyChange.channel), NEW.\(ident: prefixColumn));
                END IF;
                RETURN NULL;
            END
            $$ LANGUAGE plpgsql
            """).run()
        try await sql.raw("DROP TRIGGER IF EXISTS \(ident: name) ON \(ident: table)").run()
        try await sql.raw("""
            CREATE TRIGGER \(ident: name) AFTER INSERT OR UPDATE OR DELETE ON \(ident: table)
            FOR EACH ROW EXECUTE FUNCTION \(ident: name)()
            """).run()
    }

    /// Removes what ``createChangeNotifications(onTable:prefixColumn:)`` installed.
    public func dropChangeNotifications(onTable table: String) async throws {
        guard let sql = self as? any SQLDatabase else { return }
        if sql.dialect.name == "sqlite" {
            for operation in ChangeNotifications.operations {
                try await sql.raw("DROP TRIGGER IF EXISTS \(ident: ChangeNotifications.counterTriggerName(table, operation))").run()
            }
            return
        }
        guard sql.dialect.name == "postgresql" else { return }
        let name = ChangeNotifications.triggerName(table)
        try await sql.raw("DROP TRIGGER IF EXISTS \(ident: name) ON \(ident: table)").run()
        try await sql.raw("DROP FUNCTION IF EXISTS \(ident: name)()").run()
    }
}

/// Announces every change to a key table to the instances' change watchers (see
/// `Database.createChangeNotifications(onTable:prefixColumn:)`). Add it after the
/// migration that creates the table, once per key table, Django's included.
///
/// ```swift
/// app.migrations.add(APIKeyMigrations.all)
/// app.migrations.add(NotifyAPIKeyChanges(table: APIKey.schema))
/// app.migrations.add(NotifyAPIKeyChanges(table: DjangoAPIKey.schema))
/// ```
public struct NotifyAPIKeyChanges: AsyncMigration {
    /// The key table whose changes are announced.
    public let table: String

    /// A stable name per table, so that renaming this type never re-runs it. Its second
    /// version (SQLite's change count) runs once more on databases the first one prepared;
    /// preparing is idempotent.
    public var name: String { "APIKeyFluent.NotifyAPIKeyChanges.\(table).v2" }

    /// The migration for `table`.
    public init(table: String) {
        self.table = table
    }

    /// Installs the notification trigger (PostgreSQL only).
    public func prepare(on database: any Database) async throws {
        try await database.createChangeNotifications(onTable: table)
    }

    /// Removes it.
    public func revert(on database: any Database) async throws {
        try await database.dropChangeNotifications(onTable: table)
    }
}

package enum ChangeNotifications {
    static func triggerName(_ table: String) -> String { "\(table)_notify_change" }

    /// SQLite's count of changes to key tables: one row, bumped by every key table's triggers.
    package static let counterTable = "api_key_change_count"
    package static let counterColumn = "changes"
    static let operations = ["INSERT", "UPDATE", "DELETE"]

    static func counterTriggerName(_ table: String, _ operation: String) -> String { "\(table)_count_\(operation.lowercased())" }

    static func createCounter(onTable table: String, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            "CREATE TABLE IF NOT EXISTS \(ident: counterTable) (id INTEGER PRIMARY KEY CHECK (id = 1), \(ident: counterColumn) INTEGER NOT NULL)"
        ).run()
        try await sql.raw("INSERT OR IGNORE INTO \(ident: counterTable) (id, \(ident: counterColumn)) VALUES (1, 0)").run()
        for operation in operations {
            try await sql.raw("""
                CREATE TRIGGER IF NOT EXISTS \(ident: counterTriggerName(table, operation)) AFTER \(unsafeRaw: operation) ON \(ident: table)
                BEGIN UPDATE \(ident: counterTable) SET \(ident: counterColumn) = \(ident: counterColumn) + 1; END
                """).run()
        }
    }
}
