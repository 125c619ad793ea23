public import APIKeyFluent

/// The management API (its contract: `OpenAPI/api-keys.yaml`): which key models it manages,
/// who owns their keys, and who may manage them. Mount it with `app.apiKeys.mountManagement`
/// (Vapor, `APIKeyVaporManagement`) or `apiKeys.mountManagement` (Hummingbird,
/// `APIKeyHummingbirdManagement`).
///
/// A request's key is looked up in each managed model, in order. A valid key that holds
/// ``requiredScope`` (or that ``permits`` admits) manages the keys of its own model and owner,
/// and cannot give a key a scope it does not hold.
///
/// ```swift
/// let management = APIKeyManagementAPI()
///     .managing(APIKey.self)
///     .managing(OrganizationAPIKey.self, ownedBy: byOrganization)
/// try app.apiKeys.mountManagement(management, at: "api", "v1")
/// ```
public struct APIKeyManagementAPI: Sendable {
    /// The managed models, in the order a request's key is looked up.
    package private(set) var models: [any ManagedModel] = []
    /// The scope a key needs to manage keys, unless ``permits`` decides instead.
    ///
    /// ```swift
    /// var management = APIKeyManagementAPI()
    /// management.requiredScope = "admin:keys"
    /// ```
    public var requiredScope = "keys:manage"
    /// The app's own rule for who may manage keys, in place of ``requiredScope``; the owner and
    /// scope rules hold either way.
    ///
    /// ```swift
    /// management.permits = { caller in caller.scopes.contains("keys:manage") && caller.owner != nil }
    /// ```
    public var permits: (@Sendable (APIKeyManagementCaller) async -> Bool)?

    /// An API managing no model yet: add them with ``managing(_:ownedBy:)``; with none, it
    /// manages the built-in `APIKey` model.
    ///
    /// ```swift
    /// try app.apiKeys.mountManagement(APIKeyManagementAPI(), at: "api", "v1")
    /// ```
    public init() {}

    /// The API, also managing `model`'s keys: each by its owner when `ownership` is given, all
    /// of them as one owner's otherwise.
    ///
    /// ```swift
    /// let management = APIKeyManagementAPI().managing(APIKey.self).managing(OrganizationAPIKey.self, ownedBy: byOrganization)
    /// ```
    public func managing<Model: APIKeyModel>(_ model: Model.Type, ownedBy ownership: APIKeyOwnership<Model>? = nil) -> Self {
        var copy = self
        copy.models.append(ModelManagement(ownership: ownership))
        return copy
    }

    /// The managed models; the built-in one when none was added.
    package var managedModels: [any ManagedModel] {
        models.isEmpty ? [ModelManagement<APIKey>(ownership: nil)] : models
    }

    /// Whether `caller` may manage keys.
    package func admits(_ caller: APIKeyManagementCaller) async -> Bool {
        if let permits { return await permits(caller) }
        return caller.scopes.contains(requiredScope)
    }
}
