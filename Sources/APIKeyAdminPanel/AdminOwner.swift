public import APIKeyFluent
public import FluentKit

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
