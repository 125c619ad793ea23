import APIKeyVapor
import Fluent
import Foundation

/// A company's API keys: refused while the company is inactive, and the company's name on the
/// request's identity.
final class CompanyAPIKey: APIKeyModel, @unchecked Sendable {
    static let schema = "company_api_keys"
    @ID(key: .id) var id: UUID?
    @Field(key: APIKeyColumn.prefix) var prefix: String
    @Field(key: APIKeyColumn.hashedKey) var hashedKey: String
    @Field(key: APIKeyColumn.name) var name: String
    @Timestamp(key: APIKeyColumn.createdAt, on: .create) var createdAt: Date?
    @Field(key: APIKeyColumn.revoked) var isRevoked: Bool
    @OptionalField(key: APIKeyColumn.expiresAt) var expiresAt: Date?
    @Parent(key: "company_id") var company: Company

    init() {}


    // Keys of inactive companies cannot be used (upstream's get_usable_keys).
    static func usableKeys(_ query: QueryBuilder<CompanyAPIKey>) -> QueryBuilder<CompanyAPIKey> {
        query.join(parent: \.$company).filter(Company.self, \.$isActive == true)
    }

    // What a handler reads from the key: `key.companyName`, from the company the lookup joined.
    struct IdentityDetails: Sendable, Hashable {
        let companyID: UUID
        let companyName: String
    }
    var identityDetails: IdentityDetails {
        get throws { IdentityDetails(companyID: $company.id, companyName: try joined(Company.self).name) }
    }
}
