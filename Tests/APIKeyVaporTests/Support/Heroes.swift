import APIKeyFluent
import Fluent
import Foundation

/// Upstream's test app, `test_project.heroes`: heroes own keys, and a retired hero's keys cannot
/// be used.
final class Hero: Model, @unchecked Sendable {
    static let schema = "heroes"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "retired") var retired: Bool
    @Children(for: \.$hero) var apiKeys: [HeroAPIKey]

    init() {}
    init(name: String, retired: Bool = false) {
        self.name = name
        self.retired = retired
    }
}

/// A custom key model: upstream's `HeroAPIKey(AbstractAPIKey)` with a `hero` foreign key and a
/// `get_usable_keys` that excludes retired heroes.
final class HeroAPIKey: APIKeyModel, @unchecked Sendable {
    static let schema = "hero_api_keys"
    @ID(key: .id) var id: UUID?
    @Field(key: APIKeyColumn.prefix) var prefix: String
    @Field(key: APIKeyColumn.hashedKey) var hashedKey: String
    @Field(key: APIKeyColumn.name) var name: String
    @Timestamp(key: APIKeyColumn.createdAt, on: .create) var createdAt: Date?
    @Field(key: APIKeyColumn.revoked) var isRevoked: Bool
    @OptionalField(key: APIKeyColumn.expiresAt) var expiresAt: Date?
    @Parent(key: "hero_id") var hero: Hero

    init() {}

    static let prefixField = \HeroAPIKey.$prefix
    static let hashedKeyField = \HeroAPIKey.$hashedKey
    static let revokedField = \HeroAPIKey.$isRevoked

    static func usableKeys(_ query: QueryBuilder<HeroAPIKey>) -> QueryBuilder<HeroAPIKey> {
        query.join(parent: \.$hero).filter(Hero.self, \.$retired == false)
    }
}

struct CreateHeroes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Hero.schema).id()
            .field("name", .string, .required)
            .field("retired", .bool, .required)
            .create()
        try await database.schema(HeroAPIKey.schema).id()
            .apiKeyFields()
            .field("hero_id", .uuid, .required, .references(Hero.schema, .id, onDelete: .cascade))
            .create()
        try await database.createRevocationGuard(onTable: HeroAPIKey.schema)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(HeroAPIKey.schema).delete()
        try await database.schema(Hero.schema).delete()
    }
}
