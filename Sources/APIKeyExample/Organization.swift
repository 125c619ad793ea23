// Shared by both examples (Sources/APIKeyHummingbirdExample links to this file): FluentKit only.
import APIKeyFluent
import FluentKit
import Foundation

/// An organization whose services call the API with keys of their own.
final class Organization: Model, @unchecked Sendable {
    static let schema = "organizations"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    @Field(key: "is_active") var isActive: Bool
    @Children(for: \.$organization) var apiKeys: [OrganizationAPIKey]

    init() {}
    init(name: String, isActive: Bool) {
        self.name = name
        self.isActive = isActive
    }
}

/// A custom key model: keys belong to an organization, and an inactive organization's keys are
/// refused.
final class OrganizationAPIKey: APIKeyModel, @unchecked Sendable {
    static let schema = "organization_api_keys"
    @ID(key: .id) var id: UUID?
    @Field(key: APIKeyColumn.prefix) var prefix: String
    @Field(key: APIKeyColumn.hashedKey) var hashedKey: String
    @Field(key: APIKeyColumn.name) var name: String
    @Timestamp(key: APIKeyColumn.createdAt, on: .create) var createdAt: Date?
    @Field(key: APIKeyColumn.revoked) var isRevoked: Bool
    @OptionalField(key: APIKeyColumn.expiresAt) var expiresAt: Date?
    @Parent(key: "organization_id") var organization: Organization

    init() {}

    static let prefixField = \OrganizationAPIKey.$prefix
    static let hashedKeyField = \OrganizationAPIKey.$hashedKey
    static let revokedField = \OrganizationAPIKey.$isRevoked

    static func usableKeys(_ query: QueryBuilder<OrganizationAPIKey>) -> QueryBuilder<OrganizationAPIKey> {
        query.join(parent: \.$organization).filter(Organization.self, \.$isActive == true)
    }

    // What a request's identity carries: `key.organizationID` in a handler.
    struct IdentityDetails: Sendable, Hashable { let organizationID: UUID }
    var identityDetails: IdentityDetails { IdentityDetails(organizationID: $organization.id) }
}

struct CreateOrganizations: AsyncMigration {
    var name: String { "Example.CreateOrganizations" }

    func prepare(on database: any Database) async throws {
        try await database.schema(Organization.schema).id()
            .field("name", .string, .required)
            .field("is_active", .bool, .required)
            .unique(on: "name")
            .create()
        try await database.schema(OrganizationAPIKey.schema).id()
            .apiKeyFields()
            .field("organization_id", .uuid, .required, .references(Organization.schema, .id, onDelete: .cascade))
            .create()
        try await database.createRevocationGuard(onTable: OrganizationAPIKey.schema)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OrganizationAPIKey.schema).delete()
        try await database.schema(Organization.schema).delete()
    }
}

/// Two organizations to try the example with: an active one and an inactive one.
func seedOrganizations(on database: any Database) async throws {
    guard try await Organization.query(on: database).count() == 0 else { return }
    try await Organization(name: "Acme", isActive: true).create(on: database)
    try await Organization(name: "Initech", isActive: false).create(on: database)
}
