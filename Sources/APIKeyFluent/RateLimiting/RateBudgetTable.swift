import APIKeyCore
package import FluentKit
import SQLKit

/// The budgets of ``CreateAPIKeyRateBudgets``, leased and given back with one statement each,
/// in SQL that SQLite and PostgreSQL both speak. The database's row lock is what makes two
/// instances' leases add up: a lease is one `INSERT … ON CONFLICT DO UPDATE` that reads and
/// writes the row at once.
package enum RateBudgetTable {
    static let name = "api_key_rate_budget"
    static let keyTable: FieldKey = "key_table"
    static let prefix: FieldKey = "prefix"
    static let windowStart: FieldKey = "window_start"
    static let windowEnd: FieldKey = "window_end"
    static let budget: FieldKey = "budget"
    static let leased: FieldKey = "leased"
    /// What the row's last lease got: how a lease learns it in the same statement.
    static let granted: FieldKey = "granted"

    /// Leases up to `size` requests of `window`'s `budget` for the keys of `table`, and answers how
    /// many it got: `size`, or the exact remainder when less is left (0 when none is).
    package static func lease(
        _ size: Int, of window: SharedRateBudget.Window, end: Int64, budget total: Int, table: String, on database: any Database
    ) async throws -> Int {
        let sql = try sqlDatabase(database)
        let asked = Int64(min(size, total))
        let row = "\(name)"
        // In an UPDATE every right-hand side reads the row as it was, on both databases.
        let query: SQLQueryString = """
            INSERT INTO \(ident: row) (\(ident: keyTable.description), \(ident: prefix.description), \(ident: windowStart.description), \
            \(ident: windowEnd.description), \(ident: budget.description), \(ident: leased.description), \(ident: granted.description)) \
            VALUES (\(bind: table), \(bind: window.prefix), \(bind: window.start), \(bind: end), \(bind: Int64(total)), \(bind: asked), \(bind: asked)) \
            ON CONFLICT (\(ident: keyTable.description), \(ident: prefix.description), \(ident: windowStart.description)) DO UPDATE SET \
            \(ident: budget.description) = excluded.\(ident: budget.description), \
            \(ident: leased.description) = CASE \
            WHEN \(ident: row).\(ident: leased.description) + excluded.\(ident: granted.description) <= excluded.\(ident: budget.description) \
            THEN \(ident: row).\(ident: leased.description) + excluded.\(ident: granted.description) \
            WHEN \(ident: row).\(ident: leased.description) < excluded.\(ident: budget.description) THEN excluded.\(ident: budget.description) \
            ELSE \(ident: row).\(ident: leased.description) END, \
            \(ident: granted.description) = CASE \
            WHEN \(ident: row).\(ident: leased.description) + excluded.\(ident: granted.description) <= excluded.\(ident: budget.description) \
            THEN excluded.\(ident: granted.description) \
            WHEN \(ident: row).\(ident: leased.description) < excluded.\(ident: budget.description) \
            THEN excluded.\(ident: budget.description) - \(ident: row).\(ident: leased.description) \
            ELSE 0 END \
            RETURNING \(ident: granted.description)
            """
        guard let result = try await sql.raw(query).first() else { return 0 }
        return Int(try result.decode(column: granted.description, as: Int64.self))
    }

    /// Gives back `unspent` requests of `window` that this instance leased and did not spend.
    package static func giveBack(_ unspent: Int, of window: SharedRateBudget.Window, table: String, on database: any Database) async throws {
        let sql = try sqlDatabase(database)
        try await sql.update(name)
            .set(SQLIdentifier(leased.description), to: SQLQueryString(
                "CASE WHEN \(ident: leased.description) > \(bind: Int64(unspent)) THEN \(ident: leased.description) - \(bind: Int64(unspent)) ELSE 0 END"))
            .where(keyTable.description, .equal, table)
            .where(prefix.description, .equal, window.prefix)
            .where(windowStart.description, .equal, window.start)
            .run()
    }

    /// Deletes the rows of windows that ended before `date` (seconds since 1970).
    package static func deleteWindows(endedBefore date: Int64, on database: any Database) async throws {
        try await sqlDatabase(database).delete(from: name).where(windowEnd.description, .lessThan, date).run()
    }

    /// The leased count of `window`, for tests.
    package static func leased(_ window: SharedRateBudget.Window, table: String, on database: any Database) async throws -> Int? {
        let row = try await sqlDatabase(database).select().column(leased.description).from(name)
            .where(keyTable.description, .equal, table).where(prefix.description, .equal, window.prefix)
            .where(windowStart.description, .equal, window.start).first()
        return try row.map { Int(try $0.decode(column: leased.description, as: Int64.self)) }
    }

    private static func sqlDatabase(_ database: any Database) throws -> any SQLDatabase {
        guard let sql = database as? any SQLDatabase else { throw RateBudgetsUnsupported() }
        return sql
    }
}

/// Budgets across instances are kept on SQL databases only.
struct RateBudgetsUnsupported: Error, CustomStringConvertible {
    var description: String { "Rate limits across instances are kept on SQLite and PostgreSQL only" }
}
