import APIKeyCore
public import APIKeyFluent
public import Vapor

/// Grants requests that carry a valid API key of `Model`: upstream's `HasAPIKey` and
/// `BaseHasAPIKey`.
///
/// The key is read as ``Vapor/Application/APIKeys/parser`` says (by default
/// `Authorization: Api-Key <key>`), verified once per request (one indexed lookup, one SHA-512),
/// and then available to the handler as ``Vapor/Request/apiKey`` or
/// ``Vapor/Request/apiKey(as:)``, with no second parse, query or hash.
///
/// ```swift
/// app.grouped(HasAPIKey()).get("status") { req in
///     "Hello, \(req.apiKey?.name ?? "")"
/// }
/// app.grouped(HasAPIKey(OrganizationAPIKey.self)).get("orgs", "me") { req in
///     try await req.apiKey(as: OrganizationAPIKey.self)!.$organization.get(on: req.db)
/// }
/// ```
public struct HasAPIKey<Model: APIKeyModel>: Permission {
    /// Grants keys of `model`.
    public init(_ model: Model.Type) {}

    /// Whether the request carries a valid key of `Model`.
    public func hasPermission(_ request: Request) async throws -> Bool {
        try await request.apiKeys.verify(Model.self).record != nil
    }
}

extension HasAPIKey where Model == APIKey {
    /// Grants keys of the built-in ``APIKeyFluent/APIKey`` model.
    public init() {}
}
