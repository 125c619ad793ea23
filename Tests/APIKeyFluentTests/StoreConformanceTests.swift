import APIKeyDjango
import APIKeyFluent
import APIKeyTesting
import FluentKit
import TestSupport
import Testing

@Suite("The store conformance suite on every Fluent table, SQLite and PostgreSQL")
struct FluentStoreConformanceTests {
    @Test("the built-in api_keys table", arguments: TestDatabase.all)
    func builtIn(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            try await APIKeyStoreConformance(FluentStoreFixture(APIKey.self, on: db)).run()
        }
    }

    @Test("djangorestframework-api-key's own table", arguments: TestDatabase.all)
    func django(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateDjangoAPIKeys()]) { db in
            try await APIKeyStoreConformance(FluentStoreFixture(DjangoAPIKey.self, on: db)).run()
        }
    }

    @Test("a custom model with a usable-keys rule (an active hero's keys)", arguments: TestDatabase.all)
    func custom(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateHeroes()]) { db in
            let hero = Hero(name: "Batman")
            try await hero.create(on: db)
            let heroID = try hero.requireID()
            try await APIKeyStoreConformance(FluentStoreFixture(HeroAPIKey.self, on: db) { $0.$hero.id = heroID }).run()
        }
    }

    @Test("the cached store in front of a database", arguments: TestDatabase.all)
    func cached(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            try await APIKeyStoreConformance(CachedStoreFixture(FluentStoreFixture(APIKey.self, on: db))).run()
        }
    }
}
