import APIKeyFluent
import FluentKit
import Foundation

/// A company's API keys: refused while the company is inactive, and the company's name on the
/// request's identity.
public final class CompanyAPIKey: APIKeyModel, @unchecked Sendable {
    public static let schema = "company_api_keys"
    @ID(key: .id) public var id: UUID?
    @Field(key: APIKeyColumn.prefix) public var prefix: String
    @Field(key: APIKeyColumn.hashedKey) public var hashedKey: String
    @Field(key: APIKeyColumn.name) public var name: String
    @Timestamp(key: APIKeyColumn.createdAt, on: .create) public var createdAt: Date?
    @Field(key: APIKeyColumn.revoked) public var isRevoked: Bool
    @OptionalField(key: APIKeyColumn.expiresAt) public var expiresAt: Date?
    @Parent(key: "company_id") public var company: Company

    public init() {}

    // Keys of inactive companies cannot be used (upstream's get_usable_keys).
    public static func usableKeys(_ query: QueryBuilder<CompanyAPIKey>) -> QueryBuilder<CompanyAPIKey> {
        query.join(parent: \.$company).filter(Company.self, \.$isActive == true)
    }

    // What a handler reads from the key: `key.companyName`, from the company the lookup joined.
    public struct IdentityDetails: Sendable, Hashable {
        public let companyID: UUID
        public let companyName: String
    }
    public var identityDetails: IdentityDetails {
        get throws { IdentityDetails(companyID: $company.id, companyName: try joined(Company.self).name) }
    }
}
