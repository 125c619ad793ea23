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

    /// Answers on the event loop when the outcome is known at once (no key, a malformed one, or
    /// a cache hit), and through ``Permission/respond(to:chainingTo:)-(_,AsyncResponder)``
    /// otherwise. This is Vapor's `Middleware` requirement, implemented with futures only to skip
    /// the task an async middleware starts for every request: on a cache hit, a protected route
    /// then costs what an open one does, plus one SHA-512.
    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard let outcome = request.apiKeys.verifyWithoutWaiting(Model.self) else {
            return request.eventLoop.makeFutureWithTask {
                try await self.respond(to: request, chainingTo: AsyncBasicResponder { try await next.respond(to: $0).get() })
            }
        }
        guard outcome.record != nil else { return request.eventLoop.makeSucceededFuture(request.permissionDenied().response) }
        grant(request)
        return next.respond(to: request)
    }
}

extension HasAPIKey where Model == APIKey {
    /// Grants keys of the built-in ``APIKeyFluent/APIKey`` model.
    public init() {}
}
