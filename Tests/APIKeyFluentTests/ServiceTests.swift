import APIKeyDjango
import APIKeyFluent
import APIKeyTesting
import FluentKit
import FluentPostgresDriver
import Foundation
import Logging
import NIOPosix
import SQLKit
import TestSupport
import Testing

/// The framework-neutral service: what glue for any framework gets from it.
@Suite("One service per key model")
struct ServiceTests {
    static let logger = Logger(label: "test")

    @Test("a valid key authenticates as an immutable identity: id, prefix, name, dates and the model's details", arguments: TestDatabase.all)
    func identity(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateHeroes()]) { db in
            let hero = Hero(name: "Batman")
            try await hero.create(on: db)
            let service = APIKeyService(HeroAPIKey.self)
            let expiry = Date(timeIntervalSince1970: 1_900_000_000)
            let (record, key) = try await service.manager(on: db).createKey(name: "batmobile", expiresAt: expiry) { $0.$hero.id = hero.id! }
            let outcome = await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger)
            let identity = try #require(outcome.identity)
            #expect(identity.id == record.id && identity.prefix == key.prefix && identity.name == "batmobile")
            #expect(identity.expiresAt == expiry && identity.createdAt != nil)
            #expect(identity.heroID == hero.id)
            #expect("\(identity)" == "batmobile (\(key.prefix))")
            // The model, when a handler needs it, is a fresh row of its own each time.
            let first = try #require(try await identity.model(on: db)), second = try #require(try await identity.model(on: db))
            #expect(first !== second && first.id == record.id)
            first.name = "changed, not saved"
            #expect(await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger).identity?.name == "batmobile")
        }
    }

    @Test("the manager and verification share one cache: a revocation is seen by the next check, even on a cache hit", arguments: TestDatabase.all)
    func sharedCache(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            // A time to live no loaded machine can outlast between two lines.
            let service = APIKeyService(APIKey.self, settings: APIKeySettings(clock: APIKeyTestClock().clock))
            let (record, key) = try await service.manager(on: db).createKey(name: "cached")
            #expect(await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger).identity != nil)
            #expect(service.authenticateWithoutWaiting(.key(key.reveal()), logger: Self.logger)?.identity != nil, "a hit")
            try await service.manager(on: db).revoke(record)
            #expect(service.authenticateWithoutWaiting(.key(key.reveal()), logger: Self.logger) == nil, "forgotten")
            guard await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger).denial == .revoked else {
                Issue.record("a revoked key was not refused as revoked")
                return
            }
        }
    }

    @Test("creating a key forgets that its prefix was unknown", arguments: TestDatabase.all)
    func creationClearsUnknown(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let taken = "fixedPfx"
            let service = APIKeyService(APIKey.self, settings: APIKeySettings(scheme: KeyScheme(generator: RepeatingFirstPrefix(prefix: taken))))
            guard await service.authenticate(.key(taken + "." + String(repeating: "a", count: 32)), on: db, logger: Self.logger).denial == .unknownPrefix
            else {
                Issue.record("the prefix was not unknown")
                return
            }
            let (_, key) = try await service.manager(on: db).createKey(name: "late")
            #expect(key.prefix == taken)
            #expect(await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger).identity?.name == "late")
        }
    }

    @Test("no key, a malformed one and a cache hit are answered without waiting; a miss is not")
    func withoutWaiting() async throws {
        let service = APIKeyService(APIKey.self)
        guard service.authenticateWithoutWaiting(.missing, logger: Self.logger)?.denial == .missing,
            service.authenticateWithoutWaiting(.key("garbage"), logger: Self.logger)?.denial == .malformed,
            service.authenticateWithoutWaiting(.malformed, logger: Self.logger)?.denial == .malformed
        else {
            Issue.record("an immediate outcome was not immediate")
            return
        }
        #expect(service.authenticateWithoutWaiting(.key("abcdEFGH." + String(repeating: "a", count: 32)), logger: Self.logger) == nil)
        let uncached = APIKeyService(APIKey.self, settings: APIKeySettings(cache: nil))
        #expect(!uncached.isCaching)
        #expect(uncached.authenticateWithoutWaiting(.key("abcdEFGH." + String(repeating: "a", count: 32)), logger: Self.logger) == nil)
    }

    @Test("refusals are logged with their reason and the prefix at info, never the key; no key at debug", arguments: TestDatabase.all)
    func logging(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let capture = LogCapture()
            let service = APIKeyService(APIKey.self)
            let (_, valid) = try await service.manager(on: db).createKey(name: "valid")
            let wrong = valid.prefix + "." + String(repeating: "w", count: 32)
            for presented in [KeyExtraction.key(valid.reveal()), .key(wrong), .key("not-a-key-\(valid.reveal())"), .missing, .malformed] {
                _ = await service.authenticate(presented, on: db, logger: capture.logger())
            }
            let lines = capture.all.filter { $0.metadata[APIKeyLog.denialKey] != nil }
            #expect(lines.map(\.message) == ["API key refused", "API key refused", "No API key", "API key refused"])
            #expect(lines.map { $0.metadata[APIKeyLog.denialKey] } == ["mismatch", "malformed", "missing", "malformed"])
            #expect(lines.map { $0.metadata[APIKeyLog.prefixKey] } == [valid.prefix, "-", nil, "-"])
            #expect(lines.map(\.level) == [.info, .info, .debug, .info])
            let everything = capture.all.map(\.rendered).joined(separator: "\n")
            #expect(!everything.contains(String(valid.reveal().dropFirst(9))) && !everything.contains("wwwwwwww"))
        }
    }

    @Test("a key its model's rule refuses (a retired hero's) is refused as unusable, not unknown, and logged so; cached as such", arguments: TestDatabase.all)
    func unusable(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateHeroes()]) { db in
            let hero = Hero(name: "Alfred", retired: true)
            try await hero.create(on: db)
            // A clock that stands still: the cache remembers for as long as the test runs.
            let service = APIKeyService(HeroAPIKey.self, settings: APIKeySettings(clock: APIKeyTestClock().clock))
            let (_, key) = try await service.manager(on: db).createKey(name: "retired") { $0.$hero.id = hero.id! }
            let capture = LogCapture()
            #expect(await service.authenticate(.key(key.reveal()), on: db, logger: capture.logger()).denial == .unusable)
            #expect(service.authenticateWithoutWaiting(.key(key.reveal()), logger: capture.logger())?.denial == .unusable, "remembered")
            let unknown = "zzzzzzzz." + String(repeating: "a", count: 32)
            #expect(await service.authenticate(.key(unknown), on: db, logger: capture.logger()).denial == .unknownPrefix)
            let lines = capture.all.filter { $0.metadata[APIKeyLog.denialKey] != nil }
            #expect(lines.map { $0.metadata[APIKeyLog.denialKey] } == ["unusable", "unusable", "unknown_prefix"])
            #expect(lines.first?.metadata[APIKeyLog.prefixKey] == key.prefix)
            // A refused key gets the same 401 as an unknown one: nothing tells a client it exists.
            var refused = PresentedCredentials(), unknownCredentials = PresentedCredentials()
            refused.record(APIKeyOutcome<HeroAPIKey.Identity>.refused(.unusable))
            unknownCredentials.record(APIKeyOutcome<HeroAPIKey.Identity>.refused(.unknownPrefix))
            #expect(refused.refusal(challenge: "Api-Key") == unknownCredentials.refusal(challenge: "Api-Key"))
            // Only a model with a rule looks twice.
            #expect(HeroAPIKey.hasUsabilityRule(on: db) && !APIKey.hasUsabilityRule(on: db))
        }
    }

    @Test("a database that does not answer is unavailable, logged at error with the prefix, never granted")
    func unavailable() async throws {
        let databases = Databases(threadPool: .singleton, on: MultiThreadedEventLoopGroup.singleton)
        databases.use(
            .postgres(configuration: .init(hostname: "127.0.0.1", port: 1, username: "nobody", password: "x", database: "none", tls: .disable),
                      connectionPoolTimeout: .seconds(2)),
            as: .psql)
        let capture = LogCapture()
        let db = databases.database(logger: capture.logger(), on: MultiThreadedEventLoopGroup.singleton.any())!
        let outcome = await APIKeyService(APIKey.self).authenticate(.key("abcdEFGH." + String(repeating: "a", count: 32)), on: db, logger: capture.logger())
        await databases.shutdownAsync()
        guard outcome.isUnavailable else {
            Issue.record("not unavailable: \(outcome)")
            return
        }
        let line = try #require(capture.all.first { $0.message == "API key check failed: the key store is unavailable" })
        #expect(line.level == .error && line.metadata[APIKeyLog.prefixKey] == "abcdEFGH")
        var credentials = PresentedCredentials()
        credentials.record(outcome)
        #expect(credentials.refusal(challenge: "Api-Key") == .unavailable)
    }

    @Test("a fixed clock decides expiry without sleeping", arguments: TestDatabase.all)
    func fixedClock(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let clock = APIKeyTestClock(Date(timeIntervalSince1970: 1_800_000_000))
            let service = APIKeyService(APIKey.self, settings: APIKeySettings(clock: clock.clock))
            let (_, key) = try await service.manager(on: db).createKey(name: "expiring", expiresAt: clock.now().addingTimeInterval(60))
            #expect(await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger).identity != nil)
            clock.advance(by: 61)
            guard await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger).denial == .expired else {
                Issue.record("an expired key was not refused as expired")
                return
            }
        }
    }

    @Test("an app's registry makes one service per model, once, even when asked concurrently")
    func registry() async throws {
        let services = APIKeyServices()
        let made = await withTaskGroup(of: ObjectIdentifier.self) { group in
            for _ in 0..<50 { group.addTask { ObjectIdentifier(services.service(for: APIKey.self)) } }
            return await group.reduce(into: Set<ObjectIdentifier>()) { $0.insert($1) }
        }
        #expect(made.count == 1)
        #expect(ObjectIdentifier(services.service(for: HeroAPIKey.self)) != made.first)
    }
}

@Suite("The manager's refusals are typed, with a message for people")
struct ManagerErrorTests {
    @Test("un-revoking is refused by the manager with upstream's message, on every table, trigger or not", arguments: TestDatabase.all)
    func revocationIsFinal(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all + [CreateDjangoAPIKeys()]) { db in
            let builtIn = APIKeyManager(on: db)
            let (record, _) = try await builtIn.createKey(name: "revoked", revoked: true)
            record.isRevoked = false
            await #expect(throws: APIKeyManagerError.revocationIsFinal) { try await builtIn.update(record) }
            // Upstream's table has no trigger: the manager alone keeps the rule.
            let django = APIKeyManager(DjangoAPIKey.self, on: db)
            let (row, key) = try await django.createKey(name: "revoked", revoked: true)
            row.isRevoked = false
            row.name = "renamed"
            await #expect(throws: APIKeyManagerError.revocationIsFinal) { try await django.update(row) }
            #expect(await django.verify(key.reveal()).denial == .revoked)
            #expect("\(APIKeyManagerError.revocationIsFinal)" == "The API key has been revoked, which cannot be undone.")
        }
    }

    @Test("a key that other rows refer to is not deleted, and the manager says to revoke it", arguments: TestDatabase.all)
    func stillReferenced(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all + [CreateKeyUsage()]) { db in
            let keys = APIKeyManager(on: db)
            let (record, key) = try await keys.createKey(name: "in use")
            try await (db as! any SQLDatabase).insert(into: "key_usage").columns("id", "api_key_id").values(SQLBind(UUID()), SQLBind(record.id!)).run()
            await #expect(throws: APIKeyManagerError.stillReferenced) { try await keys.delete(record) }
            #expect(try await keys.isValid(key.reveal()))
            try await keys.revoke(record)
            #expect(await keys.verify(key.reveal()).denial == .revoked)
        }
    }

    /// A table of the app's own that refers to keys.
    struct CreateKeyUsage: AsyncMigration {
        func prepare(on database: any Database) async throws {
            try await database.schema("key_usage").id().field("api_key_id", .uuid, .required, .references(APIKey.schema, .id)).create()
        }
        func revert(on database: any Database) async throws { try await database.schema("key_usage").delete() }
    }

    @Test("deleting an unknown prefix says which", arguments: TestDatabase.all)
    func notFound(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let keys = APIKeyManager(on: db)
            await #expect(throws: APIKeyManagerError.notFound(prefix: "zzzzzzzz")) { try await keys.delete(prefix: "zzzzzzzz") }
            #expect("\(APIKeyManagerError.notFound(prefix: "zzzzzzzz"))" == "No API key has the prefix zzzzzzzz.")
            let (_, key) = try await keys.createKey(name: "doomed")
            try await keys.delete(prefix: key.prefix)
            #expect(await keys.verify(key.reveal()).denial == .unknownPrefix)
        }
    }
}
