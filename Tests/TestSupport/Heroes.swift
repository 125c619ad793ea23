public import APIKeyFluent
public import FluentKit
import Foundation

/// Upstream's test app, `test_project.heroes`: heroes own keys, and a retired hero's keys cannot
/// be used.
public final class Hero: Model, @unchecked Sendable {
    public static let schema = "heroes"
    @ID(key: .id) public var id: UUID?
    @Field(key: "name") public var name: String
    @Field(key: "retired") public var retired: Bool
    @Children(for: \.$hero) public var apiKeys: [HeroAPIKey]

    public init() {}
    public init(name: String, retired: Bool = false) {
        self.name = name
        self.retired = retired
    }
}

/// A custom key model: upstream's `HeroAPIKey(AbstractAPIKey)` with a `hero` foreign key and a
/// `get_usable_keys` that excludes retired heroes.
public final class HeroAPIKey: APIKeyModel, @unchecked Sendable {
    public static let schema = "hero_api_keys"
    @ID(key: .id) public var id: UUID?
    @Field(key: APIKeyColumn.prefix) public var prefix: String
    @Field(key: APIKeyColumn.hashedKey) public var hashedKey: String
    @Field(key: APIKeyColumn.name) public var name: String
    @Timestamp(key: APIKeyColumn.createdAt, on: .create) public var createdAt: Date?
    @Field(key: APIKeyColumn.revoked) public var isRevoked: Bool
    @OptionalField(key: APIKeyColumn.expiresAt) public var expiresAt: Date?
    @Parent(key: "hero_id") public var hero: Hero

    public init() {}

    public static func usableKeys(_ query: QueryBuilder<HeroAPIKey>) -> QueryBuilder<HeroAPIKey> {
        query.join(parent: \.$hero).filter(Hero.self, \.$retired == false)
    }

    /// The hero's id, on the request's identity.
    public struct IdentityDetails: Sendable, Hashable { public let heroID: UUID }
    public var identityDetails: IdentityDetails { IdentityDetails(heroID: $hero.id) }
}

public struct CreateHeroes: AsyncMigration {
    public init() {}
    public func prepare(on database: any Database) async throws {
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

    public func revert(on database: any Database) async throws {
        try await database.schema(HeroAPIKey.schema).delete()
        try await database.schema(Hero.schema).delete()
    }
}

/// The scopes the test servers declare.
package enum TestScope: String, APIKeyScope {
    case read = "reports:read"
    case write = "reports:write"
    /// Held by keys that must stay off live routes.
    case sandbox = "sandbox"
    /// The management API (`/api/v1/keys`).
    case manageKeys = "keys:manage"
}
