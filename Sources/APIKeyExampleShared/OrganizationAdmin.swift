// Shared by both examples: how the
// example's two admin panels are set up.
package import APIKeyAdminPanel
import FluentKit
import Foundation

/// The panels' header: both key sections, who is signed in (the example has one
/// administrator), and the sign-out button.
package enum ExampleAdmin {
    package static let navigation = AdminNavigation(
        sections: [AdminLink("API keys", "/admin/keys"), AdminLink("Organization API keys", "/admin/organization/keys")],
        signOutPath: "/logout")
    package static let user = "admin"
}

extension APIKeyAdminOwner<OrganizationAPIKey> {
    /// The admin panel's organization column, filter and create-form choice.
    package static let organization = APIKeyAdminOwner(
        title: "Organization",
        choices: { database in
            try await Organization.query(on: database).sort(\.$name).all().compactMap { organization in
                organization.id.map { AdminChoice(id: $0.uuidString, label: organization.name) }
            }
        },
        of: { $0.$organization.id.uuidString },
        // The panel accepts only an id among the choices above: always a UUID.
        assign: { key, id in if let id = UUID(uuidString: id) { key.$organization.id = id } },
        filter: { query, id in query.filter(\.$organization.$id == (UUID(uuidString: id) ?? UUID())) })
}
