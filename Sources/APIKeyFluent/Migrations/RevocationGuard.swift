public import FluentKit
import FluentSQL
import SQLKit

extension Database {
    /// Installs a trigger that makes the database itself refuse to set `revoked` back to false,
    /// so that no bulk update, raw SQL or forgetful code can bring a revoked key back. Supports
    /// PostgreSQL and SQLite; on other databases it does nothing (revocation is then final only
    /// through this library's API).
    ///
    /// ```swift
    /// try await database.createRevocationGuard(onTable: OrganizationAPIKey.schema)
    /// ```
    /// - Parameters:
    ///   - table: The table of an ``APIKeyModel``.
    ///   - column: Its revoked column.
    public func createRevocationGuard(onTable table: String, column: String = APIKeyColumn.revoked.description) async throws {
        guard let sql = self as? any SQLDatabase else { return }
        let name = RevocationGuard.triggerName(table)
        switch sql.dialect.name {
        case "postgresql":
            try await sql.raw("""
                CREATE OR REPLACE FUNCTION \(ident: name)() RETURNS trigger AS $$
                BEGIN
                    IF OLD.\(ident: column) AND NOT NEW.\(ident: column) THEN
                        RAISE EXCEPTION \(literal: RevocationGuard.message) USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                END
                $$ LANGUAGE plpgsql
                """).run()
            try await sql.raw("""
                CREATE TRIGGER \(ident: name) BEFORE UPDATE OF \(ident: column) ON \(ident: table)
                FOR EACH ROW EXECUTE FUNCTION \(ident: name)()
                """).run()
        case "sqlite":
            try await sql.raw("""
                CREATE TRIGGER \(ident: name) BEFORE UPDATE OF \(ident: column) ON \(ident: table)
                FOR EACH ROW WHEN OLD.\(ident: column) AND NOT NEW.\(ident: column)
                BEGIN SELECT RAISE(ABORT, \(literal: RevocationGuard.message)); END
                """).run()
        default:
            return
        }
    }

    /// Removes what ``createRevocationGuard(onTable:column:)`` installed.
    public func dropRevocationGuard(onTable table: String) async throws {
        guard let sql = self as? any SQLDatabase else { return }
        let name = RevocationGuard.triggerName(table)
        switch sql.dialect.name {
        case "postgresql":
            try await sql.raw("DROP TRIGGER IF EXISTS \(ident: name) ON \(ident: table)").run()
            try await sql.raw("DROP FUNCTION IF EXISTS \(ident: name)()").run()
        case "sqlite":
            try await sql.raw("DROP TRIGGER IF EXISTS \(ident: name)").run()
        default:
            return
        }
    }
}

enum RevocationGuard {
    /// Upstream's wording, so that both stacks say the same thing.
    static let message = "The API key has been revoked, which cannot be undone."

    static func triggerName(_ table: String) -> String { "\(table)_forbid_unrevoke" }
}
