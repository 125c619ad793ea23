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
            try await Organization.query(on: database).sort(\.$name).all().map { AdminChoice(id: $0.id!.uuidString, label: $0.name) }
        },
        of: { $0.$organization.id.uuidString },
        assign: { key, id in key.$organization.id = UUID(uuidString: id)! },
        filter: { query, id in query.filter(\.$organization.$id == (UUID(uuidString: id) ?? UUID())) })
}
