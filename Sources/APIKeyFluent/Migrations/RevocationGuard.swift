public import FluentKit
import FluentSQL
import SQLKit

extension Database {
    /// Makes the database itself refuse to bring a revoked key back, so that no bulk update, raw
    /// SQL, forgetful code or other program can: PostgreSQL and SQLite; on other databases it does
    /// nothing (revocation is then final only through this library's API).
    ///
    /// It installs triggers and one table, `<table>_revoked_prefixes`, which remembers every
    /// prefix that was ever revoked (the revoked rows already there included):
    /// - an `UPDATE` that sets `revoked` back to false is refused;
    /// - an `INSERT` of a row that is not revoked, with a prefix that was revoked before, is refused:
    ///   SQLite's `INSERT OR REPLACE` of the same row, or a `DELETE` followed by an `INSERT`, cannot
    ///   bring the key back;
    /// - so is an `UPDATE` that gives a row that is not revoked such a prefix.
    ///
    /// Running it again is safe: it replaces what an earlier version installed. Someone who can
    /// change the schema can still remove it; see the README's "What the database guards".
    ///
    /// ```swift
    /// try await database.createRevocationGuard(onTable: OrganizationAPIKey.schema)
    /// ```
    /// - Parameters:
    ///   - table: The table of an ``APIKeyModel``.
    ///   - column: Its revoked column.
    ///   - prefixColumn: Its prefix column.
    public func createRevocationGuard(
        onTable table: String, column: String = APIKeyColumn.revoked.description, prefixColumn: String = APIKeyColumn.prefix.description
    ) async throws {
        guard let sql = self as? any SQLDatabase else { return }
        let names = RevocationGuard(table: table)
        try await dropRevocationGuard(onTable: table, keepingRevokedPrefixes: true)
        switch sql.dialect.name {
        case "postgresql":
            try await sql.raw("CREATE TABLE IF NOT EXISTS \(ident: names.revokedPrefixes) (prefix text PRIMARY KEY)").run()
            try await sql.raw("""
                INSERT INTO \(ident: names.revokedPrefixes) (prefix)
                SELECT \(ident: prefixColumn) FROM \(ident: table) WHERE \(ident: column) ON CONFLICT DO NOTHING
                """).run()
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION \(ident: names.forbid)() RETURNS trigger AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND OLD.\(ident: column) AND NOT NEW.\(ident: column) THEN
                        RAISE EXCEPTION \(literal: RevocationGuard.message) USING ERRCODE = 'check_violation';
                    END IF;
                    IF NOT NEW.\(ident: column)
                        AND EXISTS (SELECT 1 FROM \(ident: names.revokedPrefixes) WHERE prefix = NEW.\(ident: prefixColumn)) THEN
                        RAISE EXCEPTION \(literal: RevocationGuard.message) USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                END
                $$ LANGUAGE plpgsql
                """).run()
            try await sql.raw("""
                CREATE TRIGGER \(ident: names.forbid) BEFORE INSERT OR UPDATE OF \(ident: column), \(ident: prefixColumn) ON \(ident: table)
                FOR EACH ROW EXECUTE FUNCTION \(ident: names.forbid)()
                """).run()
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION \(ident: names.remember)() RETURNS trigger AS $$
                BEGIN
                    INSERT INTO \(ident: names.revokedPrefixes) (prefix) VALUES (NEW.\(ident: prefixColumn)) ON CONFLICT DO NOTHING;
                    RETURN NULL;
                END
                $$ LANGUAGE plpgsql
                """).run()
            try await sql.raw("""
                CREATE TRIGGER \(ident: names.remember) AFTER INSERT OR UPDATE OF \(ident: column), \(ident: prefixColumn) ON \(ident: table)
                FOR EACH ROW WHEN (NEW.\(ident: column)) EXECUTE FUNCTION \(ident: names.remember)()
                """).run()
        case "sqlite":
            try await sql.raw("CREATE TABLE IF NOT EXISTS \(ident: names.revokedPrefixes) (prefix TEXT PRIMARY KEY)").run()
            try await sql.raw("""
                INSERT OR IGNORE INTO \(ident: names.revokedPrefixes) (prefix)
                SELECT \(ident: prefixColumn) FROM \(ident: table) WHERE \(ident: column)
                """).run()
            try await sql.raw("""
                CREATE TRIGGER \(ident: names.forbid) BEFORE UPDATE OF \(ident: column) ON \(ident: table)
                FOR EACH ROW WHEN OLD.\(ident: column) AND NOT NEW.\(ident: column)
                BEGIN SELECT RAISE(ABORT, \(literal: RevocationGuard.message)); END
                """).run()
            let prefixEvents: [(String, SQLQueryString)] = [
                (names.forbidInsert, "INSERT"), (names.forbidPrefix, "UPDATE OF \(ident: prefixColumn)"),
            ]
            for (name, event) in prefixEvents {
                try await sql.raw("""
                    CREATE TRIGGER \(ident: name) BEFORE \(event) ON \(ident: table)
                    FOR EACH ROW WHEN NOT NEW.\(ident: column)
                        AND EXISTS (SELECT 1 FROM \(ident: names.revokedPrefixes) WHERE prefix = NEW.\(ident: prefixColumn))
                    BEGIN SELECT RAISE(ABORT, \(literal: RevocationGuard.message)); END
                    """).run()
            }
            let revocations: [(String, SQLQueryString)] = [
                (names.remember, "INSERT"), (names.rememberUpdate, "UPDATE OF \(ident: column)"),
                (names.rememberPrefix, "UPDATE OF \(ident: prefixColumn)"),
            ]
            for (name, event) in revocations {
                try await sql.raw("""
                    CREATE TRIGGER \(ident: name) AFTER \(event) ON \(ident: table)
                    FOR EACH ROW WHEN NEW.\(ident: column)
                    BEGIN INSERT OR IGNORE INTO \(ident: names.revokedPrefixes) (prefix) VALUES (NEW.\(ident: prefixColumn)); END
                    """).run()
            }
        default:
            return
        }
    }

    /// Removes what ``createRevocationGuard(onTable:column:prefixColumn:)`` installed, and the
    /// revoked prefixes it remembered.
    public func dropRevocationGuard(onTable table: String) async throws {
        try await dropRevocationGuard(onTable: table, keepingRevokedPrefixes: false)
    }

    private func dropRevocationGuard(onTable table: String, keepingRevokedPrefixes: Bool) async throws {
        guard let sql = self as? any SQLDatabase else { return }
        let names = RevocationGuard(table: table)
        switch sql.dialect.name {
        case "postgresql":
            for trigger in [names.forbid, names.remember] {
                try await sql.raw("DROP TRIGGER IF EXISTS \(ident: trigger) ON \(ident: table)").run()
                try await sql.raw("DROP FUNCTION IF EXISTS \(ident: trigger)()").run()
            }
        case "sqlite":
            for trigger in [names.forbid, names.forbidInsert, names.forbidPrefix, names.remember, names.rememberUpdate, names.rememberPrefix] {
                try await sql.raw("DROP TRIGGER IF EXISTS \(ident: trigger)").run()
            }
        default:
            return
        }
        if !keepingRevokedPrefixes { try await sql.raw("DROP TABLE IF EXISTS \(ident: names.revokedPrefixes)").run() }
    }
}

/// Makes the database refuse to bring a revoked key back (see
/// `Database.createRevocationGuard(onTable:column:prefixColumn:)`), on a key table
/// that does not have the guard yet, or has an older one: a table made by Django, or by an earlier
/// version of this library. Safe to run on a table that already has it. Django keeps working with
/// the table: it never un-revokes a key, nor reuses a prefix.
///
/// ```swift
/// app.migrations.add(CreateDjangoAPIKeys(), GuardRevocation(table: DjangoAPIKey.schema))
/// app.migrations.add(CreateAPIKeys(), GuardRevocation(table: APIKey.schema))   // a database made before 0.6
/// ```
public struct GuardRevocation: AsyncMigration {
    /// The key table.
    public let table: String
    /// Its revoked column.
    public let column: String
    /// Its prefix column.
    public let prefixColumn: String

    /// A stable name per table, so that renaming this type never re-runs it.
    public var name: String { "APIKeyFluent.GuardRevocation.\(table)" }

    /// The migration for `table`, whose columns are named as in ``APIKeyColumn`` unless given.
    public init(table: String, column: String = APIKeyColumn.revoked.description, prefixColumn: String = APIKeyColumn.prefix.description) {
        self.table = table
        self.column = column
        self.prefixColumn = prefixColumn
    }

    /// Installs the guard.
    public func prepare(on database: any Database) async throws {
        try await database.createRevocationGuard(onTable: table, column: column, prefixColumn: prefixColumn)
    }

    /// Removes it.
    public func revert(on database: any Database) async throws {
        try await database.dropRevocationGuard(onTable: table)
    }
}

/// The names of what the guard installs on one table.
struct RevocationGuard {
    /// Upstream's wording, so that both stacks say the same thing.
    static let message = "The API key has been revoked, which cannot be undone."

    let table: String

    /// The table of every prefix ever revoked.
    var revokedPrefixes: String { "\(table)_revoked_prefixes" }
    /// Refuses un-revoking (and, on PostgreSQL, revoked prefixes coming back).
    var forbid: String { "\(table)_forbid_unrevoke" }
    var forbidInsert: String { "\(table)_forbid_revoked_insert" }
    var forbidPrefix: String { "\(table)_forbid_revoked_prefix" }
    /// Remembers revoked prefixes.
    var remember: String { "\(table)_remember_revoked" }
    var rememberUpdate: String { "\(table)_remember_revoked_update" }
    var rememberPrefix: String { "\(table)_remember_revoked_prefix" }
}
