public import APIKeyCore

/// The key a management request came with, as the API's permission rule sees it.
///
/// ```swift
/// var management = APIKeyManagementAPI()
/// management.permits = { caller in caller.scopes.contains("keys:manage") && caller.name.hasPrefix("ops-") }
/// ```
public struct APIKeyManagementCaller: Sendable, Hashable {
    /// The table of the caller's key model, e.g. `api_keys`.
    public let keyTable: String
    /// The caller's key's prefix.
    public let prefix: String
    /// The caller's key's name.
    public let name: String
    /// What the caller's key holds: it cannot give a key more.
    public let scopes: APIKeyScopes
    /// The id of the key's owner (``APIKeyOwnership``); `nil` for a model without owners.
    public let owner: String?
}
