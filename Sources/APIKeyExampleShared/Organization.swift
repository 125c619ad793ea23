// Shared by both examples: FluentKit only.
package import APIKeyFluent
package import FluentKit
import Foundation

/// An organization whose services call the API with keys of their own.
package final class Organization: Model, @unchecked Sendable {
    package static let schema = "organizations"
    @ID(key: .id) package var id: UUID?
    @Field(key: "name") package var name: String
    @Field(key: "is_active") package var isActive: Bool
    @Children(for: \.$organization) package var apiKeys: [OrganizationAPIKey]

    package init() {}
    package init(name: String, isActive: Bool) {
        self.name = name
        self.isActive = isActive
    }
}

/// A custom key model: keys belong to an organization, and an inactive organization's keys are
/// refused. Its keys can be rotated: a replacement belongs to the same organization.
package final class OrganizationAPIKey: AccessControlledAPIKeyModel, RotatableAPIKeyModel, RevocationDatedAPIKeyModel, @unchecked Sendable {
    package static let schema = "organization_api_keys"
    @ID(key: .id) package var id: UUID?
    @Field(key: APIKeyColumn.prefix) package var prefix: String
    @Field(key: APIKeyColumn.hashedKey) package var hashedKey: String
    @Field(key: APIKeyColumn.name) package var name: String
    @Timestamp(key: APIKeyColumn.createdAt, on: .create) package var createdAt: Date?
    @Field(key: APIKeyColumn.revoked) package var isRevoked: Bool
    @OptionalField(key: APIKeyColumn.expiresAt) package var expiresAt: Date?
    @Parent(key: "organization_id") package var organization: Organization
    @OptionalField(key: APIKeyColumn.rotatedFrom) package var rotatedFrom: String?
    @OptionalField(key: APIKeyColumn.replacedBy) package var replacedBy: String?
    @OptionalField(key: APIKeyColumn.replacedAt) package var replacedAt: Date?
    @OptionalField(key: APIKeyColumn.revokedAt) package var revokedAt: Date?
    // Scopes and the rest (AddOrganizationKeyAccess): an organization's key with keys:manage
    // manages that organization's keys through the management API.
    @Field(key: APIKeyColumn.scopes) package var scopes: [String]
    @Field(key: APIKeyColumn.suspended) package var isSuspended: Bool
    @Field(key: APIKeyColumn.allowedIPs) package var allowedIPs: [String]
    @OptionalField(key: APIKeyColumn.metadata) package var metadata: APIKeyMetadata?

    package init() {}

    /// A replacement belongs to the same organization.
    package func prepareReplacement(_ replacement: OrganizationAPIKey) {
        replacement.$organization.id = $organization.id
    }

    package static func usableKeys(_ query: QueryBuilder<OrganizationAPIKey>) -> QueryBuilder<OrganizationAPIKey> {
        query.join(parent: \.$organization).filter(Organization.self, \.$isActive == true)
    }

    // What a request's identity carries: `key.organizationName` in a handler, read from the
    // organization that `usableKeys` joins, so no handler queries it again.
    package struct IdentityDetails: Sendable, Hashable {
        package let organizationID: UUID
        package let organizationName: String
    }
    package var identityDetails: IdentityDetails {
        get throws { IdentityDetails(organizationID: $organization.id, organizationName: try joined(Organization.self).name) }
    }
}

package struct CreateOrganizations: AsyncMigration {
    package init() {}
    package var name: String { "Example.CreateOrganizations" }

    package func prepare(on database: any Database) async throws {
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

    package func revert(on database: any Database) async throws {
        try await database.schema(OrganizationAPIKey.schema).delete()
        try await database.schema(Organization.schema).delete()
    }
}

/// The rotation columns of `RotatableAPIKeyModel`, on the organization keys' table.
package struct AddOrganizationKeyRotation: AsyncMigration {
    package init() {}
    package var name: String { "Example.AddOrganizationKeyRotation" }

    package func prepare(on database: any Database) async throws {
        try await database.addAPIKeyRotation(toTable: OrganizationAPIKey.schema)
    }

    package func revert(on database: any Database) async throws {
        for column in [APIKeyColumn.replacedAt, APIKeyColumn.replacedBy, APIKeyColumn.rotatedFrom] {
            try await database.schema(OrganizationAPIKey.schema).deleteField(column).update()
        }
    }
}

/// `revoked_at` on the organizations' keys, so that `api-keys prune --revoked-before` can date
/// their revocations.
package struct AddOrganizationKeyRevocationTime: AsyncMigration {
    package init() {}
    package var name: String { "Example.AddOrganizationKeyRevocationTime" }

    package func prepare(on database: any Database) async throws {
        try await database.addAPIKeyRevocationTime(toTable: OrganizationAPIKey.schema)
    }

    package func revert(on database: any Database) async throws {
        try await database.schema(OrganizationAPIKey.schema).deleteField(APIKeyColumn.revokedAt).update()
    }
}

/// Two organizations to try the example with: an active one and an inactive one.
package func seedOrganizations(on database: any Database) async throws {
    guard try await Organization.query(on: database).count() == 0 else { return }
    try await Organization(name: "Acme", isActive: true).create(on: database)
    try await Organization(name: "Initech", isActive: false).create(on: database)
}

package struct AddOrganizationKeyAccess: AsyncMigration {
    package init() {}
    package var name: String { "Example.AddOrganizationKeyAccess" }

    package func prepare(on database: any Database) async throws {
        try await database.addAPIKeyAccessFields(toTable: OrganizationAPIKey.schema)
    }

    package func revert(on database: any Database) async throws {
        try await database.removeAPIKeyAccessFields(fromTable: OrganizationAPIKey.schema)
    }
}
