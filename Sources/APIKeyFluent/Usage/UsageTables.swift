import APIKeyCore
package import FluentKit
import FluentSQL
import SQLKit
#if canImport(FoundationEssentials)
package import FoundationEssentials
#else
package import Foundation
#endif

/// The usage tables that ``CreateAPIKeyUsage`` makes, written and read with plain SQL that
/// SQLite and PostgreSQL both speak (`INSERT … ON CONFLICT DO UPDATE`).
package enum UsageTables {
    static let lastUse = "api_key_last_use"
    static let daily = "api_key_daily_usage"
    static let keyTable: FieldKey = "key_table"
    static let prefix: FieldKey = "prefix"
    static let lastUsedAt: FieldKey = "last_used_at"
    static let day: FieldKey = "day"
    static let outcome: FieldKey = "outcome"
    static let requests: FieldKey = "requests"

    /// Rows per statement: far below SQLite's and PostgreSQL's limits on bound values.
    static let rowsPerStatement = 500

    /// Writes `batch` for the keys of `table`, in one transaction: a statement per table and per
    /// 500 keys, never one per key. A key's last use only moves forward, whatever order instances
    /// write in; counts add up.
    package static func write(_ batch: UsageBatch, table: String, on database: any Database) async throws {
        guard !batch.isEmpty else { return }
        try await database.transaction { transaction in
            let sql = try sqlDatabase(transaction)
            let uses = batch.lastUsed.sorted { $0.key < $1.key }
            for chunk in stride(from: 0, to: uses.count, by: rowsPerStatement).map({ uses[$0..<min($0 + rowsPerStatement, uses.count)] }) {
                let insert = sql.insert(into: lastUse).columns(keyTable.description, prefix.description, lastUsedAt.description)
                for (prefix, date) in chunk { insert.values(SQLBind(table), SQLBind(prefix), SQLBind(date)) }
                try await insert.onConflict(with: [keyTable.description, prefix.description]) {
                    $0.set(lastUsedAt.description, to: SQLQueryString(
                        "CASE WHEN excluded.\(ident: lastUsedAt.description) > \(ident: lastUse).\(ident: lastUsedAt.description) THEN excluded.\(ident: lastUsedAt.description) ELSE \(ident: lastUse).\(ident: lastUsedAt.description) END"))
                }.run()
            }
            let counts = batch.counts.sorted { ($0.key.prefix, $0.key.day, $0.key.outcome) < ($1.key.prefix, $1.key.day, $1.key.outcome) }
            for chunk in stride(from: 0, to: counts.count, by: rowsPerStatement).map({ counts[$0..<min($0 + rowsPerStatement, counts.count)] }) {
                let insert = sql.insert(into: daily).columns(
                    keyTable.description, prefix.description, day.description, outcome.description, requests.description)
                for (key, count) in chunk {
                    insert.values(SQLBind(table), SQLBind(key.prefix), SQLBind(dayName(key.day)), SQLBind(key.outcome), SQLBind(Int64(count)))
                }
                try await insert.onConflict(with: [keyTable.description, prefix.description, day.description, outcome.description]) {
                    $0.set(requests.description, to: SQLQueryString(
                        "\(ident: daily).\(ident: requests.description) + excluded.\(ident: requests.description)"))
                }.run()
            }
        }
    }

    /// The latest use of each of `prefixes` in `table` that was ever used.
    package static func lastUses(of prefixes: [String], table: String, on database: any Database) async throws -> [String: Date] {
        guard !prefixes.isEmpty else { return [:] }
        let sql = try sqlDatabase(database)
        var uses: [String: Date] = [:]
        for start in stride(from: 0, to: prefixes.count, by: rowsPerStatement) {
            let chunk = Array(prefixes[start..<min(start + rowsPerStatement, prefixes.count)])
            let rows = try await sql.select().columns(prefix.description, lastUsedAt.description).from(lastUse)
                .where(keyTable.description, .equal, table).where(prefix.description, .in, chunk).all()
            for row in rows {
                uses[try row.decode(column: prefix.description, as: String.self)] = try row.decode(column: lastUsedAt.description, as: Date.self)
            }
        }
        return uses
    }

    /// Requests per day and outcome of the key with `prefix` in `table`, from `firstDay` on.
    package static func dailyCounts(of keyPrefix: String, table: String, from firstDay: Int, on database: any Database) async throws
        -> [(day: String, outcome: String, requests: Int)]
    {
        let rows = try await sqlDatabase(database).select().columns(day.description, outcome.description, requests.description).from(daily)
            .where(keyTable.description, .equal, table).where(prefix.description, .equal, keyPrefix)
            .where(day.description, .greaterThanOrEqual, dayName(firstDay)).all()
        return try rows.map {
            (try $0.decode(column: day.description, as: String.self), try $0.decode(column: outcome.description, as: String.self),
             Int(try $0.decode(column: requests.description, as: Int64.self)))
        }
    }

    /// `2026-12-04` for a day number (days since 1970-01-01, UTC).
    package static func dayName(_ day: Int) -> String {
        CivilTime(secondsSince1970: Int64(day) * 86_400).dateName
    }

    private static func sqlDatabase(_ database: any Database) throws -> any SQLDatabase {
        guard let sql = database as? any SQLDatabase else { throw UsageUnsupported() }
        return sql
    }
}

/// Usage is kept on SQL databases only.
struct UsageUnsupported: Error, CustomStringConvertible {
    var description: String { "API key usage is kept on SQL databases only (SQLite, PostgreSQL, MySQL)" }
}
