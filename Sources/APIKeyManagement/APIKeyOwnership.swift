public import APIKeyFluent
public import FluentKit

/// What owns a key model's keys (an organization, a user), for the management API: a key manages
/// the keys of its own owner, and no others.
///
/// ```swift
/// let byOrganization = APIKeyOwnership<OrganizationAPIKey>(
///     of: { $0.$organization.id.uuidString },
///     assign: { key, owner in key.$organization.id = UUID(uuidString: owner)! },
///     filter: { query, owner in query.filter(\.$organization.$id == UUID(uuidString: owner) ?? UUID()) })
/// ```
public struct APIKeyOwnership<Model: APIKeyModel>: Sendable {
    let of: @Sendable (Model) -> String
    let assign: @Sendable (Model, String) -> Void
    let filter: @Sendable (QueryBuilder<Model>, String) -> QueryBuilder<Model>

    /// An owner relation.
    ///
    /// - Parameters:
    ///   - of: The id of a key's owner.
    ///   - assign: Gives a new key the owner with this id (the caller's own).
    ///   - filter: Narrows a query to the keys of the owner with this id.
    public init(
        of: @escaping @Sendable (Model) -> String, assign: @escaping @Sendable (Model, String) -> Void,
        filter: @escaping @Sendable (QueryBuilder<Model>, String) -> QueryBuilder<Model>
    ) {
        self.of = of
        self.assign = assign
        self.filter = filter
    }
}
