import APIKeyCore
import APIKeyFluent
import FluentKit
import Foundation
import SQLKit
import TestSupport
import Testing

/// Upstream's tests/test_model.py, against SQLite and PostgreSQL.
@Suite("Models and the manager (upstream test_model.py)")
struct ManagerTests {
    @Test("test_key_generation: a new key has a prefix and hash, only [A-Za-z0-9.], verifies; its hash does not",
          arguments: TestDatabase.all)
    func keyGeneration(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let keys = APIKeyManager(on: db)
            let (record, key) = try await keys.createKey(name: "test")
            #expect(!record.prefix.isEmpty && !record.hashedKey.isEmpty)
            #expect(key.reveal().allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == ".") })
            #expect(try await keys.isValid(key.reveal()))
            #expect(try await !keys.isValid(record.hashedKey))
            #expect(record.id != nil && record.createdAt != nil)
            let stored = try await APIKey.find(record.id, on: db)
            #expect(stored?.hashedKey == SHA512KeyHasher().hash(key.reveal()))
            #expect(stored?.prefix == key.prefix)
        }
    }

    @Test("test_name_is_required: a key without a name cannot be saved; the manager refuses empty and long names",
          arguments: TestDatabase.all)
    func nameIsRequired(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let nameless = APIKey()
            nameless.prefix = "abcdEFGH"
            nameless.hashedKey = SHA512KeyHasher().hash("x")
            nameless.isRevoked = false
            await #expect(throws: (any Error).self) { try await nameless.create(on: db) }
            let keys = APIKeyManager(on: db)
            await #expect(throws: APIKeyManagerError.invalidName("A name is required.")) { try await keys.createKey(name: "  ") }
            await #expect(throws: APIKeyManagerError.self) { try await keys.createKey(name: String(repeating: "n", count: 51)) }
            _ = try await keys.createKey(name: String(repeating: "n", count: 50))
            #expect(try await APIKey.query(on: db).count() == 1)
        }
    }

    @Test("test_cannot_unrevoke: no save, bulk update or raw SQL can un-revoke a key; the database refuses",
          arguments: TestDatabase.all)
    func cannotUnrevoke(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let keys = APIKeyManager(on: db)
            let (record, key) = try await keys.createKey(name: "test", revoked: true)
            record.isRevoked = false
            await #expect(throws: (any Error).self) { try await record.save(on: db) }
            await #expect(throws: (any Error).self) {
                try await APIKey.query(on: db).set(\.$isRevoked, to: false).update()
            }
            let sql = db as! any SQLDatabase
            await #expect(throws: (any Error).self) {
                try await sql.raw("UPDATE api_keys SET revoked = \(bind: false)").run()
            }
            #expect(try await APIKey.find(record.id, on: db)?.isRevoked == true)
            #expect(await keys.verify(key.reveal()).denial == .revoked)

            // Revoking is always allowed, and so is deleting.
            let (other, _) = try await keys.createKey(name: "other")
            try await keys.revoke(other)
            try await keys.revoke(other)
            #expect(try await APIKey.find(other.id, on: db)?.isRevoked == true)
            try await keys.delete(other)
            #expect(try await APIKey.find(other.id, on: db) == nil)
        }
    }

    @Test("the trigger's refusal carries upstream's message", arguments: TestDatabase.all)
    func unrevokeMessage(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let (record, _) = try await APIKeyManager(on: db).createKey(name: "test", revoked: true)
            record.isRevoked = false
            do {
                try await record.save(on: db)
                Issue.record("un-revoking was allowed")
            } catch {
                #expect(String(reflecting: error).contains("The API key has been revoked, which cannot be undone."))
            }
        }
    }

    @Test(
        "test_has_expired: none, now (already past), tomorrow, yesterday",
        arguments: [(nil, false), (0, true), (86_400, false), (-86_400, true)] as [(TimeInterval?, Bool)])
    func hasExpired(offset: TimeInterval?, expired: Bool) async throws {
        try await withTestDatabase(.sqlite, migrations: APIKeyMigrations.all) { db in
            let moment = Date()
            let (record, _) = try await APIKeyManager(on: db).createKey(name: "test", expiresAt: offset.map { moment.addingTimeInterval($0) })
            #expect(record.hasExpired(at: moment.addingTimeInterval(0.001)) == expired)
        }
    }

    @Test("expiry survives the round trip through the database to the microsecond it was stored with", arguments: TestDatabase.all)
    func expiryRoundTrip(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let expiry = Date(timeIntervalSince1970: 1_900_000_000.5)
            let (record, key) = try await APIKeyManager(on: db).createKey(name: "test", expiresAt: expiry)
            let stored = try #require(try await APIKey.find(record.id, on: db))
            #expect(abs(stored.expiresAt!.timeIntervalSince(expiry)) < 0.001)
            let justBefore = APIKeyManager(on: db, clock: APIKeyClock(now: { expiry }, elapsed: { .zero }))
            #expect(try await justBefore.isValid(key.reveal()))
            let justAfter = APIKeyManager(on: db, clock: APIKeyClock(now: { expiry.addingTimeInterval(0.01) }, elapsed: { .zero }))
            #expect(await justAfter.verify(key.reveal()).denial == .expired)
        }
    }

    @Test("test_custom_api_key_model: a hero's key verifies and belongs to its hero", arguments: TestDatabase.all)
    func customModel(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateHeroes()]) { db in
            let hero = Hero(name: "Batman")
            try await hero.create(on: db)
            let keys = APIKeyManager(HeroAPIKey.self, on: db)
            let (record, key) = try await keys.createKey(name: "test") { $0.$hero.id = hero.id! }
            #expect(try await keys.isValid(key.reveal()))
            #expect(record.$hero.id == hero.id)
            let first = try await hero.$apiKeys.query(on: db).first()
            #expect(first?.id == record.id)
        }
    }

    @Test("a custom model's usable-keys rule applies to every check (upstream test_retired_hero_denied)",
          arguments: TestDatabase.all)
    func retiredHero(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateHeroes()]) { db in
            let hero = Hero(name: "Alfred", retired: true)
            try await hero.create(on: db)
            let keys = APIKeyManager(HeroAPIKey.self, on: db)
            let (_, key) = try await keys.createKey(name: "test") { $0.$hero.id = hero.id! }
            // Refused like an unknown prefix (the same 401), and logged for what it is.
            #expect(await keys.verify(key.reveal()).denial == .unusable)
            #expect(try await keys.usableKeys.count() == 0)
        }
    }

    @Test("a foreign-key failure is reported, not retried as a prefix collision", arguments: TestDatabase.all)
    func foreignKeyFailure(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateHeroes()]) { db in
            if database == .sqlite { try await (db as! any SQLDatabase).raw("PRAGMA foreign_keys = ON").run() }
            let keys = APIKeyManager(HeroAPIKey.self, on: db)
            await #expect(throws: (any Error).self) { try await keys.createKey(name: "orphan") { $0.$hero.id = UUID() } }
        }
    }

    @Test("a taken prefix is drawn again, not surfaced as a database error", arguments: TestDatabase.all)
    func prefixCollision(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            // A generator whose first draw repeats the prefix of a key already stored.
            let taken = try await APIKeyManager(on: db).createKey(name: "first").model.prefix
            let scheme = KeyScheme(generator: RepeatingFirstPrefix(prefix: taken))
            let (record, key) = try await APIKeyManager(on: db, scheme: scheme).createKey(name: "second")
            #expect(record.prefix != taken)
            #expect(try await APIKeyManager(on: db).isValid(key.reveal()))
            #expect(try await APIKey.query(on: db).count() == 2)
        }
    }

    @Test("test_api_key_hash_upgrade: a legacy hash stays on a wrong key and becomes sha512$$ on the right one",
          arguments: TestDatabase.all)
    func hashUpgrade(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let keys = APIKeyManager(on: db)
            let (fresh, _) = try await keys.createKey(name: "fresh")
            #expect(SHA512KeyHasher().isPreferred(fresh.hashedKey))
            // A row as djangorestframework-api-key 1.x/2.x wrote it (hash-vectors.md §2).
            let legacy = "pbkdf2_sha256$36000$dfPh6LIy7NB3$foLulcHmohM9EGRzWnGfzqP94/inFc5Tf+gH9HY9N4E="
            let key = "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"
            let record = APIKey()
            record.prefix = "abcdEFGH"
            record.hashedKey = legacy
            record.name = "legacy"
            record.isRevoked = false
            try await record.create(on: db)
            #expect(try await !keys.isValid("abcdEFGH." + String(repeating: "x", count: 32)))
            #expect(try await APIKey.find(record.id, on: db)?.hashedKey == legacy)
            #expect(try await keys.isValid(key))
            let upgraded = try await APIKey.find(record.id, on: db)
            #expect(upgraded?.hashedKey == SHA512KeyHasher().hash(key))
            #expect(upgraded?.id == record.id && upgraded?.name == "legacy")
            #expect(try await keys.isValid(key))
        }
    }

    @Test("test_api_key_manager_get_from_key, _missing_key, _invalid_key", arguments: TestDatabase.all)
    func getFromKey(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let keys = APIKeyManager(on: db)
            let (record, key) = try await keys.createKey(name: "test")
            #expect(try await keys.model(for: key.reveal()).id == record.id)
            await #expect(throws: APIKeyManagerError.denied(.malformed)) { try await keys.model(for: "foobar") }
            await #expect(throws: APIKeyManagerError.denied(.mismatch)) {
                try await keys.model(for: key.prefix + "." + String(repeating: "f", count: 32))
            }
            await #expect(throws: APIKeyManagerError.denied(.unknownPrefix)) {
                try await keys.model(for: "zzzzzzzz." + String(repeating: "f", count: 32))
            }
        }
    }

    @Test("test_api_key_str: a key reads as its name, never its hash")
    func description() async throws {
        try await withTestDatabase(.sqlite, migrations: APIKeyMigrations.all) { db in
            let (record, _) = try await APIKeyManager(on: db).createKey(name: "test")
            #expect("\(record)" == "test")
        }
    }

    @Test("revoking by prefixes revokes exactly those keys", arguments: TestDatabase.all)
    func bulkRevoke(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let keys = APIKeyManager(on: db)
            let a = try await keys.createKey(name: "a"), b = try await keys.createKey(name: "b"), c = try await keys.createKey(name: "c")
            try await keys.revoke(prefixes: [a.model.prefix, c.model.prefix, "zzzzzzzz"])
            #expect(await keys.verify(a.key.reveal()).denial == .revoked)
            #expect(try await keys.isValid(b.key.reveal()))
            #expect(await keys.verify(c.key.reveal()).denial == .revoked)
            #expect(try await keys.usableKeys.count() == 1)
        }
    }

    @Test("the migration reverts cleanly, trigger included", arguments: TestDatabase.all)
    func migrationReverts(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            try await AddAPIKeyRevocationTime().revert(on: db)
            try await AddAPIKeyRotation().revert(on: db)
            try await AddAPIKeyRateLimit().revert(on: db)
            try await AddAPIKeyAccessFields().revert(on: db)
            try await CreateAPIKeys().revert(on: db)
            try await CreateAPIKeys().prepare(on: db)
            try await AddAPIKeyAccessFields().prepare(on: db)
            try await AddAPIKeyRateLimit().prepare(on: db)
            try await AddAPIKeyRotation().prepare(on: db)
            try await AddAPIKeyRevocationTime().prepare(on: db)
            let (record, _) = try await APIKeyManager(on: db).createKey(name: "again", revoked: true)
            record.isRevoked = false
            await #expect(throws: (any Error).self) { try await record.save(on: db) }
        }
    }
}

/// Draws `prefix` first, then random keys.
struct RepeatingFirstPrefix: KeyGenerator {
    let prefix: String
    let draws = Counter()

    final class Counter: Sendable {
        private let value = Locked(0)
        func next() -> Int {
            value.withLock { value in
                value += 1
                return value - 1
            }
        }
    }
    func generate() -> PlaintextAPIKey {
        if draws.next() == 0 { return PlaintextAPIKey(prefix: prefix, secret: String(repeating: "a", count: 32)) }
        return AlphanumericKeyGenerator().generate()
    }
    func prefix(ofPresentedKey key: String) -> String? { AlphanumericKeyGenerator().prefix(ofPresentedKey: key) }
}
