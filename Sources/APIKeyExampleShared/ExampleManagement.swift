// Shared by both examples: what the management API at /api/v1 manages.
package import APIKeyFluent
package import APIKeyManagement
import FluentKit
import Foundation

/// The example's management API: keys of the example's key model (`API_KEY_SCHEMA`) manage that
/// model's keys; an organization's keys manage that organization's keys. Either needs the
/// `keys:manage` scope.
package func exampleManagement<Key: APIKeyModel>(_ key: Key.Type) -> APIKeyManagementAPI {
    APIKeyManagementAPI().managing(Key.self).managing(OrganizationAPIKey.self, ownedBy: .organization)
}

extension APIKeyOwnership<OrganizationAPIKey> {
    /// An organization's keys.
    package static let organization = APIKeyOwnership(
        of: { $0.$organization.id.uuidString },
        // Only ever the caller's own organization's id: always a UUID.
        assign: { key, id in if let id = UUID(uuidString: id) { key.$organization.id = id } },
        filter: { query, id in query.filter(\.$organization.$id == (UUID(uuidString: id) ?? UUID())) })
}
