import APIKeyDjango
import APIKeyFluent
import FluentKit
import Foundation
import SQLKit
import TestSupport
import Testing

/// Sharing upstream's table: what Django writes, we read; what we write, Django can read.
/// (scripts/interop/ proves it against the real Django package.)
@Suite("djangorestframework-api-key's own table")
struct DjangoTableTests {
    static let legacyKey = "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"
    static let legacyHash = "pbkdf2_sha256$36000$dfPh6LIy7NB3$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E="

    @Test("Django's SQLite text: fraction omitted when zero, microseconds otherwise, UTC")
    func dateText() {
        #expect(DjangoDateTime(Date(timeIntervalSince1970: 0)).text == "1970-01-01 00:00:00")
        #expect(DjangoDateTime(Date(timeIntervalSince1970: 1_795_392_835.537592)).text == "2026-11-23 00:13:55.537592")
        #expect(DjangoDateTime(text: "2026-11-23 00:13:55.537592")?.text == "2026-11-23 00:13:55.537592")
        #expect(DjangoDateTime(text: "2026-11-23 00:13:55")?.date == Date(timeIntervalSince1970: 1_795_392_835))
        #expect(DjangoDateTime(text: "2026-11-23T00:13:55.5Z")?.text == "2026-11-23 00:13:55.500000")
        #expect(DjangoDateTime(text: "2026-11-23 00:13:55+00:00") != nil)
        for bad in ["", "2026-11-23", "2026-02-30 00:00:00", "2026-11-23 24:00:00", "2026-11-23 00:13:55.", "2026-11-23 00:13:55.1234567", "x026-11-23 00:13:55"] {
            #expect(DjangoDateTime(text: bad) == nil, "\(bad)")
        }
    }

    @Test("a key made here has upstream's id, created and revoked columns; Django's SQLite gets text dates",
          arguments: TestDatabase.all)
    func createdHere(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateDjangoAPIKeys()]) { db in
            let keys = APIKeyManager(DjangoAPIKey.self, on: db)
            let expiry = Date(timeIntervalSince1970: 1_900_000_000.25)
            let (record, key) = try await keys.createKey(name: "swift-made", expiresAt: expiry)
            #expect(record.id == record.prefix + "." + record.hashedKey)
            #expect(record.hashedKey == SHA512KeyHasher().hash(key.reveal()))
            #expect(try await keys.isValid(key.reveal()))
            let sql = db as! any SQLDatabase
            if database == .sqlite {
                struct Row: Decodable { let created: String; let expiry_date: String; let kind: String }
                let row = try #require(try await sql.raw("SELECT created, expiry_date, typeof(created) AS kind FROM rest_framework_api_key_apikey").first(decoding: Row.self))
                #expect(row.kind == "text")
                #expect(row.expiry_date == "2030-03-17 17:46:40.250000")
                #expect(DjangoDateTime(text: row.created) != nil)
            }
            let stored = try #require(try await DjangoAPIKey.find(record.id, on: db))
            #expect(stored.expiresAt == expiry)
        }
    }

    @Test("rows as Django and 1.x/2.x wrote them verify; a legacy hash is upgraded and the id kept",
          arguments: TestDatabase.all)
    func writtenByDjango(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateDjangoAPIKeys()]) { db in
            let sql = db as! any SQLDatabase
            let created = database == .sqlite ? "'2021-01-01 00:00:00'" : "'2021-01-01 00:00:00+00'"
            let expiry = database == .sqlite ? "'2030-01-02 03:04:05.123456'" : "'2030-01-02 03:04:05.123456+00'"
            try await sql.raw("""
                INSERT INTO rest_framework_api_key_apikey (id, prefix, hashed_key, created, name, revoked, expiry_date)
                VALUES (\(bind: "abcdEFGH." + Self.legacyHash), 'abcdEFGH', \(bind: Self.legacyHash), \(unsafeRaw: created), 'legacy-row', \(unsafeRaw: database == .sqlite ? "0" : "false"), \(unsafeRaw: expiry))
                """).run()
            let keys = APIKeyManager(DjangoAPIKey.self, on: db)
            #expect(await keys.verify("abcdEFGH." + String(repeating: "x", count: 32)).denial == .mismatch)
            let record = try await keys.model(for: Self.legacyKey)
            #expect(record.expiresAt == Date(timeIntervalSince1970: 1_893_553_445.123456))
            #expect(record.createdAt == Date(timeIntervalSince1970: 1_609_459_200))
            let upgraded = try #require(try await DjangoAPIKey.query(on: db).first())
            #expect(upgraded.hashedKey == SHA512KeyHasher().hash(Self.legacyKey))
            #expect(upgraded.id == "abcdEFGH." + Self.legacyHash)
            #expect(try await keys.isValid(Self.legacyKey))
        }
    }

    @Test("an existing table is left alone, columns and rows", arguments: TestDatabase.all)
    func existingTable(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: []) { db in
            let sql = db as! any SQLDatabase
            try await sql.raw("CREATE TABLE rest_framework_api_key_apikey (id varchar(150) PRIMARY KEY, prefix varchar(8) NOT NULL UNIQUE, hashed_key varchar(150) NOT NULL, created \(unsafeRaw: database == .sqlite ? "datetime" : "timestamptz") NOT NULL, name varchar(50) NOT NULL, revoked \(unsafeRaw: database == .sqlite ? "bool" : "boolean") NOT NULL, expiry_date \(unsafeRaw: database == .sqlite ? "datetime" : "timestamptz") NULL, django_marker int)").run()
            try await CreateDjangoAPIKeys().prepare(on: db)
            let (_, key) = try await APIKeyManager(DjangoAPIKey.self, on: db).createKey(name: "coexists")
            #expect(try await APIKeyManager(DjangoAPIKey.self, on: db).isValid(key.reveal()))
            struct Count: Decodable { let count: Int }
            let marker = try await sql.raw("SELECT COUNT(django_marker) AS count FROM rest_framework_api_key_apikey").first(decoding: Count.self)
            #expect(marker?.count == 0)  // the column is still there
            try await CreateDjangoAPIKeys().revert(on: db)
            #expect(try await DjangoAPIKey.query(on: db).count() == 1)  // and reverting drops nothing
        }
    }
}

@Suite("djangorestframework-api-key's table keeps Django's format under any app scheme")
struct DjangoTableSchemeTests {
    @Test("with a pepper and a tag for the app, Django's table still gets prefix.secret keys and SHA-512 hashes, and never an upgrade to a pepper",
          arguments: TestDatabase.all)
    func keepsDjangoFormat(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateDjangoAPIKeys()]) { db in
            var settings = APIKeySettings()
            settings.scheme = KeyScheme(
                generator: try TaggedKeyGenerator(tag: "acme_live"),
                hasher: PepperedKeyHasher(current: try KeyPepper(id: "2026a", secret: Array(repeating: 3, count: 32))))
            #expect(settings.scheme(for: APIKey.self).hasher is PepperedKeyHasher)
            #expect(settings.scheme(for: DjangoAPIKey.self).hasher is SHA512KeyHasher)
            let keys = APIKeyManager(DjangoAPIKey.self, on: db, settings: settings)
            let (record, key) = try await keys.createKey(name: "for Django")
            #expect(key.reveal().split(separator: ".").map(\.count) == [8, 32])
            #expect(record.hashedKey == SHA512KeyHasher().hash(key.reveal()))
            #expect(try await keys.isValid(key.reveal()))
            #expect(try await DjangoAPIKey.query(on: db).first()?.hashedKey == record.hashedKey, "no upgrade to a pepper")
        }
    }
}

