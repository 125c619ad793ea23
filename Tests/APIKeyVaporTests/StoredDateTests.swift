import APIKeyDjango
import APIKeyVapor
import APIKeyVaporAdmin
import Fluent
import Foundation
import SQLKit
import TestSupport
import Testing
import VaporTesting

/// Dates a database can hold and no calendar code expects: PostgreSQL's `infinity` and
/// `-infinity`, years past 9999, SQLite numbers of any size, and text that is no date at all.
/// Prefixes are public, so any of these rows must be answered, never crash the server.
@Suite("Dates no calendar expects")
struct StoredDateTests {
    /// The key tables: ours and djangorestframework-api-key's.
    enum Table: String, CaseIterable, CustomTestStringConvertible, Sendable {
        case ours, django
        var testDescription: String { rawValue }
    }

    static var cases: [(TestDatabase, Table)] { TestDatabase.all.flatMap { database in Table.allCases.map { (database, $0) } } }

    @Test("infinity is never, -infinity and before 0001 are expired, after 9999 is never, text that is no date is refused as unreadable: over HTTP, in the admin and in the CLI", arguments: cases)
    func strangeDates(database: TestDatabase, table: Table) async throws {
        switch table {
        case .ours: try await check(APIKey.self, database, migrations: APIKeyMigrations.all, expiry: "expires_at", created: "created_at")
        case .django: try await check(DjangoAPIKey.self, database, migrations: [CreateDjangoAPIKeys()], expiry: "expiry_date", created: "created")
        }
    }

    /// A stored value, as each database writes it.
    struct Stored: Sendable {
        let name: String
        let sqlite: String?
        let postgres: String?
        /// What a request with the key gets, and the list's status.
        let status: HTTPStatus
        let listed: String
    }

    static let values: [Stored] = [
        Stored(name: "infinity", sqlite: "9e999", postgres: "'infinity'", status: .ok, listed: "active"),
        Stored(name: "minus-infinity", sqlite: "-9e999", postgres: "'-infinity'", status: .unauthorized, listed: "expired"),
        Stored(name: "far-future", sqlite: "9.4e12", postgres: "'200000-01-01 00:00:00+00'", status: .ok, listed: "active"),
        Stored(name: "far-past", sqlite: "-9.4e12", postgres: "'4000-01-01 00:00:00+00 BC'", status: .unauthorized, listed: "expired"),
        // A timestamptz holds nothing but dates: only SQLite can hold text that is not one.
        Stored(name: "not-a-date", sqlite: "'soon'", postgres: nil, status: .unauthorized, listed: "unreadable"),
    ]

    func check<Model: APIKeyModel>(
        _ model: Model.Type, _ database: TestDatabase, migrations: [any Migration], expiry: String, created: String
    ) async throws {
        let capture = LogCapture()
        try await withTestApp(database, migrations: migrations) { app in
            app.logger = capture.logger()
            app.grouped(HasAPIKey(Model.self)).get("check") { req in try req.requireAPIKey(Model.self).name }
            try app.grouped("admin").register(collection: APIKeyAdmin(Model.self))
            let sql = try #require(app.db as? any SQLDatabase)
            let sqlite = sql.dialect.name == "sqlite"
            let manager = app.apiKeys.manager(Model.self)
            var keys: [(Stored, PlaintextAPIKey)] = []
            for value in Self.values {
                guard let stored = sqlite ? value.sqlite : value.postgres else { continue }
                let (_, key) = try await manager.createKey(name: value.name)
                try await sql.raw("""
                    UPDATE \(ident: Model.schema) SET \(ident: expiry) = \(unsafeRaw: stored), \(ident: created) = \(unsafeRaw: stored)
                    WHERE prefix = \(bind: key.prefix)
                    """).run()
                keys.append((value, key))
            }
            for (value, key) in keys {
                try await app.testing().test(.GET, "check", headers: ["Authorization": "Api-Key \(key.reveal())"]) { res in
                    #expect(res.status == value.status, "\(value.name)")
                }
            }
            if sqlite {
                let unreadable = capture.all.filter { $0.metadata["api_key_denial"] == "unreadable_record" }
                #expect(unreadable.count == 1, "the text that is no date is logged as an unreadable row")
                #expect(capture.all.contains { $0.message.hasPrefix("API key row cannot be read") && $0.level == .error })
            }

            // The admin lists every readable row, and names the unreadable one.
            try await app.testing().test(.GET, "admin/keys") { res in
                #expect(res.status == .ok)
                for (value, key) in keys {
                    #expect(res.body.string.contains(key.prefix), "\(value.name) in the admin list")
                }
                #expect(res.body.string.contains("cannot be read") == sqlite)
            }
            for (value, key) in keys {
                try await app.testing().test(.GET, "admin/keys/\(key.prefix)") { res in
                    #expect(res.status == (value.listed == "unreadable" ? .conflict : .ok), "\(value.name)'s page")
                }
            }

            // The CLI's listing: every readable row, with its status; infinity never expires.
            let listed = await runAPIKeysCommand(app, Model.self, ["list", "--json"])
            #expect(listed.error == nil)
            let rows = try JSONDecoder().decode([Row].self, from: Data(listed.output.utf8))
            for (value, key) in keys where value.listed != "unreadable" {
                let row = try #require(rows.first { $0.prefix == key.prefix }, "\(value.name) in the CLI's list")
                #expect(row.status == value.listed, "\(value.name)")
                if value.status == .ok { #expect(row.expires_at == nil, "\(value.name) never expires") }
            }
            #expect(await runAPIKeysCommand(app, Model.self, ["list"]).error == nil)
            // A key whose row cannot be read can still be revoked and deleted.
            if let (_, broken) = keys.first(where: { $0.0.listed == "unreadable" }) {
                #expect(await runAPIKeysCommand(app, Model.self, ["revoke", broken.prefix]).error == nil)
                #expect(await runAPIKeysCommand(app, Model.self, ["delete", broken.prefix]).error == nil)
                #expect(try await manager.model(prefix: broken.prefix) == nil)
            }
        }
    }

    struct Row: Decodable {
        let prefix: String
        let status: String
        let expires_at: String?
    }
}
