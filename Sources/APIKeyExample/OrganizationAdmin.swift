// Shared by both examples (Sources/APIKeyHummingbirdExample links to this file).
import APIKeyAdminPanel
import FluentKit
import Foundation

extension APIKeyAdminOwner<OrganizationAPIKey> {
    /// The admin panel's organization column, filter and create-form choice.
    static let organization = APIKeyAdminOwner(
        title: "Organization",
        choices: { database in
            try await Organization.query(on: database).sort(\.$name).all().map { AdminChoice(id: $0.id!.uuidString, label: $0.name) }
        },
        of: { $0.$organization.id.uuidString },
        assign: { key, id in key.$organization.id = UUID(uuidString: id)! },
        filter: { query, id in query.filter(\.$organization.$id == (UUID(uuidString: id) ?? UUID())) })
}
