import APIKeyDjango
import APIKeyFluent
import FluentKit
import Foundation
import SQLKit
import TestSupport
import Testing

/// What the database itself refuses, whoever writes to it: a revoked key never comes back, not
/// by an update, not by SQLite's INSERT OR REPLACE, not by a DELETE and an INSERT.
@Suite("The database's revocation guard")
struct RevocationGuardTests {
    /// One key table's columns, as raw SQL writes them.
    struct Table {
        let name: String
        let created: String
        let expiry: String
        /// A value for the creation column.
        let now: any Encodable & Sendable
    }

    static let ours = Table(name: APIKey.schema, created: "created_at", expiry: "expires_at", now: Date())
    static let django = Table(name: DjangoAPIKey.schema, created: "created", expiry: "expiry_date", now: DjangoDateTime(Date()))

    /// Tries every way back for the revoked key `prefix`; `live` is another key's prefix.
    func expectNoWayBack(_ db: any Database, _ table: Table, revoked prefix: String, id: String, hash: String, live: String) async throws {
        let sql = try #require(db as? any SQLDatabase)
        let name = table.name
        await #expect(throws: (any Error).self, "\(name): UPDATE revoked = false") {
            try await sql.raw("UPDATE \(ident: name) SET revoked = \(bind: false) WHERE prefix = \(bind: prefix)").run()
        }
        func insert(_ verb: SQLQueryString) -> SQLQueryString {
            verb + """
                 INTO \(ident: name) (id, prefix, hashed_key, name, \(ident: table.created), revoked, \(ident: table.expiry))
                VALUES (\(bind: id), \(bind: prefix), \(bind: hash), 'back', \(bind: table.now), \(bind: false), NULL)
                """
        }
        if sql.dialect.name == "sqlite" {
            await #expect(throws: (any Error).self, "\(name): INSERT OR REPLACE of the same row, not revoked") {
                try await sql.raw(insert("INSERT OR REPLACE")).run()
            }
        }
        try await sql.raw("DELETE FROM \(ident: name) WHERE prefix = \(bind: prefix)").run()
        await #expect(throws: (any Error).self, "\(name): DELETE, then INSERT the same row, not revoked") { try await sql.raw(insert("INSERT")).run() }
        // With the revoked row gone, its prefix is free as far as uniqueness goes: the guard still says no.
        await #expect(throws: (any Error).self, "\(name): a live row takes the revoked prefix") {
            try await sql.raw("UPDATE \(ident: name) SET prefix = \(bind: prefix), hashed_key = \(bind: hash) WHERE prefix = \(bind: live)").run()
        }
        // Still gone, and the live key untouched.
        let left = try await sql.raw("SELECT prefix FROM \(ident: name) WHERE prefix IN (\(bind: prefix), \(bind: live))").all()
        #expect(try left.map { try $0.decode(column: "prefix", as: String.self) } == [live])
    }

    @Test("our table: no update, INSERT OR REPLACE, or DELETE and INSERT brings a revoked key back; revoking and deleting still work", arguments: TestDatabase.all)
    func ourTable(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let keys = APIKeyManager(on: db)
            let (revoked, key) = try await keys.createKey(name: "revoked")
            try await keys.revoke(revoked)
            let (live, _) = try await keys.createKey(name: "live")
            let id: String = try #require(revoked.id).uuidString
            try await expectNoWayBack(db, Self.ours, revoked: revoked.prefix, id: id, hash: revoked.hashedKey, live: live.prefix)
            #expect(await keys.verify(key.reveal()).denial == .unknownPrefix)
            // Revoking, deleting and making keys go on as before.
            try await keys.revoke(live)
            try await keys.delete(live)
            let (fresh, freshKey) = try await keys.createKey(name: "fresh")
            #expect(try await keys.isValid(freshKey.reveal()) && !fresh.isRevoked)
        }
    }

    @Test("Django's table: GuardRevocation remembers the keys revoked before it ran; Django's own writes still work", arguments: TestDatabase.all)
    func djangoTable(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateDjangoAPIKeys()]) { db in
            let keys = APIKeyManager(DjangoAPIKey.self, on: db)
            // Revoked before the guard existed, as on a table Django made.
            let (revoked, _) = try await keys.createKey(name: "revoked", revoked: true)
            let (live, _) = try await keys.createKey(name: "live")
            try await GuardRevocation(table: DjangoAPIKey.schema).prepare(on: db)
            // Twice is the same as once.
            try await GuardRevocation(table: DjangoAPIKey.schema).prepare(on: db)
            try await expectNoWayBack(db, Self.django, revoked: revoked.prefix, id: try #require(revoked.id), hash: revoked.hashedKey, live: live.prefix)
            // What Django does: revoke with an UPDATE, delete, create with new prefixes.
            let sql = try #require(db as? any SQLDatabase)
            try await sql.raw("UPDATE rest_framework_api_key_apikey SET revoked = \(bind: true) WHERE prefix = \(bind: live.prefix)").run()
            try await sql.raw("DELETE FROM rest_framework_api_key_apikey WHERE prefix = \(bind: live.prefix)").run()
            let (_, made) = try await keys.createKey(name: "after")
            #expect(try await keys.isValid(made.reveal()))
        }
    }

    @Test("the guard's table goes with the guard")
    func revert() async throws {
        try await withTestDatabase(.sqlite, migrations: APIKeyMigrations.all) { db in
            let sql = try #require(db as? any SQLDatabase)
            try await GuardRevocation(table: APIKey.schema).revert(on: db)
            let tables = try await sql.raw("SELECT name FROM sqlite_master WHERE name LIKE 'api_keys_%'").all()
            #expect(tables.isEmpty)
            let (record, _) = try await APIKeyManager(on: db).createKey(name: "unguarded", revoked: true)
            try await sql.raw("UPDATE api_keys SET revoked = \(bind: false) WHERE prefix = \(bind: record.prefix)").run()
        }
    }
}
