import APIKeyCore
import FluentKit
import FluentSQL
import SQLKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The table ``CreateAPIKeyEvents`` makes, written and read with plain SQL that SQLite and
/// PostgreSQL both speak.
package enum EventTable {
    static let name = "api_key_events"
    static let id: FieldKey = "id"
    static let at: FieldKey = "at"
    static let kind: FieldKey = "kind"
    static let keyTable: FieldKey = "key_table"
    static let prefix: FieldKey = "prefix"
    static let keyName: FieldKey = "name"
    static let detail: FieldKey = "detail"
    static let source: FieldKey = "source"

    /// Adds `events`, in one statement.
    static func insert(_ events: [APIKeyEvent], on database: any Database) async throws {
        guard !events.isEmpty else { return }
        let insert = try sqlDatabase(database).insert(into: name).columns(
            at.description, kind.description, keyTable.description, prefix.description, keyName.description, detail.description, source.description)
        for event in events {
            insert.values(
                SQLBind(event.at), SQLBind(event.kind.code), SQLBind(event.keyTable), SQLBind(event.prefix), SQLBind(event.name),
                SQLBind(event.detail), SQLBind(event.source))
        }
        try await insert.run()
    }

    /// The latest `limit` events of `table`'s keys (one key's when `prefix` is given), newest
    /// first.
    static func latest(table: String, prefix keyPrefix: String?, limit: Int, on database: any Database) async throws -> [APIKeyEvent] {
        let select = try sqlDatabase(database).select()
            .columns(at.description, kind.description, keyTable.description, prefix.description, keyName.description, detail.description, source.description)
            .from(name)
            .where(SQLIdentifier(keyTable.description), .equal, SQLBind(table))
        if let keyPrefix { select.where(SQLIdentifier(prefix.description), .equal, SQLBind(keyPrefix)) }
        let rows = try await select.orderBy(id.description, .descending).limit(limit).all()
        return try rows.map { row in
            APIKeyEvent(
                kind: APIKeyEventKind(code: try row.decode(column: kind.description, as: String.self)),
                keyTable: try row.decode(column: keyTable.description, as: String.self),
                prefix: try row.decode(column: prefix.description, as: String.self),
                name: try row.decode(column: keyName.description, as: String?.self),
                at: try row.decode(column: at.description, as: Date.self),
                detail: try row.decode(column: detail.description, as: String?.self),
                source: try row.decode(column: source.description, as: String?.self))
        }
    }

    private static func sqlDatabase(_ database: any Database) throws -> any SQLDatabase {
        guard let sql = database as? any SQLDatabase else { throw APIKeyManagerError.notSupported(by: "a database without SQL") }
        return sql
    }
}
