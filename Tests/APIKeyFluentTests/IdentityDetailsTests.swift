import APIKeyFluent
import FluentKit
import Foundation
import Logging
import TestSupport
import Testing

/// Heroes' keys whose identity carries the hero's name, read from the join of `usableKeys`.
final class NamedHeroKey: APIKeyModel, @unchecked Sendable {
    static let schema = HeroAPIKey.schema
    @ID(key: .id) var id: UUID?
    @Field(key: APIKeyColumn.prefix) var prefix: String
    @Field(key: APIKeyColumn.hashedKey) var hashedKey: String
    @Field(key: APIKeyColumn.name) var name: String
    @Timestamp(key: APIKeyColumn.createdAt, on: .create) var createdAt: Date?
    @Field(key: APIKeyColumn.revoked) var isRevoked: Bool
    @OptionalField(key: APIKeyColumn.expiresAt) var expiresAt: Date?
    @Parent(key: "hero_id") var hero: Hero

    init() {}

    static func usableKeys(_ query: QueryBuilder<NamedHeroKey>) -> QueryBuilder<NamedHeroKey> {
        query.join(parent: \.$hero).filter(Hero.self, \.$retired == false)
    }

    /// Refuses a hero without a name: details an app's own type cannot make.
    struct IdentityDetails: Sendable, Hashable {
        struct Unnamed: Error {}
        let heroName: String
        init(heroName: String) throws {
            guard !heroName.isEmpty else { throw Unnamed() }
            self.heroName = heroName
        }
    }
    var identityDetails: IdentityDetails { get throws { try IdentityDetails(heroName: try joined(Hero.self).name) } }
}

@Suite("An identity's details from the owner's row")
struct IdentityDetailsTests {
    static let logger = Logger(label: "test")

    @Test("the owner's name comes with the lookup that applies usableKeys: no second query; a retired owner's key is unusable, not unreadable", arguments: TestDatabase.all)
    func ownerFieldsFromTheJoin(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateHeroes()]) { db in
            let batman = Hero(name: "Batman"), retired = Hero(name: "Old", retired: true)
            try await batman.create(on: db)
            try await retired.create(on: db)
            let service = APIKeyService(NamedHeroKey.self)
            let (_, key) = try await service.manager(on: db).createKey(name: "batmobile") { $0.$hero.id = batman.id! }
            let (_, oldKey) = try await service.manager(on: db).createKey(name: "old") { $0.$hero.id = retired.id! }
            #expect(await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger).identity?.heroName == "Batman")
            #expect(await service.authenticate(.key(oldKey.reveal()), on: db, logger: Self.logger).denial == .unusable)
        }
    }

    @Test("details that cannot be read refuse the key as an unreadable row: never a grant, never a 503, never a crash", arguments: TestDatabase.all)
    func unreadableDetails(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateHeroes()]) { db in
            let unnamed = Hero(name: "")
            try await unnamed.create(on: db)
            let service = APIKeyService(NamedHeroKey.self)
            let (_, key) = try await service.manager(on: db).createKey(name: "batmobile") { $0.$hero.id = unnamed.id! }
            #expect(await service.authenticate(.key(key.reveal()), on: db, logger: Self.logger).denial == .unreadableRecord)
        }
    }
}
