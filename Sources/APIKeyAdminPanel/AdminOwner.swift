public import APIKeyFluent
public import FluentKit
import LeafKit
import NIOCore

/// What owns a custom model's keys (an organization, a user), for the admin panel: an extra
/// column, a filter, and a required choice when creating a key.
///
/// ```swift
/// let organizationOwner = APIKeyAdminOwner<OrganizationAPIKey>(
///     title: "Organization",
///     choices: { db in try await Organization.query(on: db).sort(\.$name).all().map { AdminChoice(id: $0.id!.uuidString, label: $0.name) } },
///     of: { $0.$organization.id.uuidString },
///     assign: { key, id in key.$organization.id = UUID(uuidString: id)! },
///     filter: { query, id in query.filter(\.$organization.$id == UUID(uuidString: id) ?? UUID()) })
/// ```
public struct APIKeyAdminOwner<Model: APIKeyModel>: Sendable {
    let title: String
    let choices: @Sendable (any Database) async throws -> [AdminChoice]
    let of: @Sendable (Model) -> String
    let assign: @Sendable (Model, String) -> Void
    let filter: @Sendable (QueryBuilder<Model>, String) -> QueryBuilder<Model>

    /// An owner relation.
    ///
    /// - Parameters:
    ///   - title: What an owner is called, e.g. "Organization".
    ///   - choices: Every owner, as id and label.
    ///   - of: The id of a key's owner.
    ///   - assign: Sets a new key's owner from a validated id.
    ///   - filter: Narrows a query to one owner's keys.
    public init(
        title: String, choices: @escaping @Sendable (any Database) async throws -> [AdminChoice],
        of: @escaping @Sendable (Model) -> String, assign: @escaping @Sendable (Model, String) -> Void,
        filter: @escaping @Sendable (QueryBuilder<Model>, String) -> QueryBuilder<Model>
    ) {
        self.title = title
        self.choices = choices
        self.of = of
        self.assign = assign
        self.filter = filter
    }
}

/// One option of an admin select.
public struct AdminChoice: Sendable, Equatable {
    /// The submitted value.
    public let id: String
    /// What people see.
    public let label: String

    /// An option.
    public init(id: String, label: String) {
        self.id = id
        self.label = label
    }
}

enum Status: String, CaseIterable {
    case all, active, expired, revoked
    var label: String {
        switch self {
        case .all: "Every status"
        case .active: "Active"
        case .expired: "Expired"
        case .revoked: "Revoked"
        }
    }
}

/// Notices come as fixed codes in the query string, never as text to reflect.
enum Notice {
    static func message(_ code: String) -> String? {
        switch code {
        case "saved": return "Saved."
        case "revoked": return "The API key was revoked."
        case "frozen": return "A revoked API key cannot be changed."
        case "deleted": return "The API key was deleted."
        case "none-selected": return "No API keys were selected, so none was revoked. Tick the keys to revoke first."
        default:
            guard code.hasPrefix("revoked-"), let count = Int(code.dropFirst("revoked-".count)), count >= 0 else { return nil }
            return count == 1 ? "Revoked 1 API key." : "Revoked \(count) API keys."
        }
    }
}

/// Templates compiled into the library.
struct EmbeddedTemplates: LeafSource {
    func file(template: String, escape: Bool, on eventLoop: any EventLoop) throws -> EventLoopFuture<ByteBuffer> {
        let name = template.split(separator: "/").last.map { String($0).replacingOccurrences(of: ".leaf", with: "") } ?? template
        guard let text = AdminTemplates.all[name] else { return eventLoop.makeFailedFuture(LeafError(.noTemplateExists(template))) }
        return eventLoop.makeSucceededFuture(ByteBuffer(string: text))
    }
}

