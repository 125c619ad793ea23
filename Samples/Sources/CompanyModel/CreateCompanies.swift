import APIKeyFluent
import FluentKit

/// The companies and their keys' table, with the key columns and the revocation guard.
public struct CreateCompanies: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await database.schema(Company.schema).id()
            .field("name", .string, .required)
            .field("is_active", .bool, .required)
            .unique(on: "name")
            .create()
        try await database.schema(CompanyAPIKey.schema).id()
            .apiKeyFields()
            .field("company_id", .uuid, .required, .references(Company.schema, .id, onDelete: .cascade))
            .create()
        try await database.createRevocationGuard(onTable: CompanyAPIKey.schema)
    }

    public func revert(on database: any Database) async throws {
        try await database.schema(CompanyAPIKey.schema).delete()
        try await database.schema(Company.schema).delete()
    }
}

/// Two companies to try it with: Acme is active, Initech is not. An app has its own.
public struct SeedCompanies: AsyncMigration {
    public init() {}

    public func prepare(on database: any Database) async throws {
        try await Company(name: "Acme", isActive: true).create(on: database)
        try await Company(name: "Initech", isActive: false).create(on: database)
    }

    public func revert(on database: any Database) async throws {
        try await Company.query(on: database).delete()
    }
}
