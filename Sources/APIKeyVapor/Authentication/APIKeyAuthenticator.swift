import APIKeyCore
public import APIKeyFluent
public import Vapor

/// Logs a request's valid API key in as `APIKeyIdentity<Model>`, in Vapor's own way: it never
/// refuses anything, so it chains with other authenticators (a session, a bearer token), and a
/// guard or a permission decides at the end.
///
/// A key that is missing or not valid leaves `req.auth` as it was; a key store that does not
/// answer is remembered, so that ``HasAPIKey`` answers 503 rather than 401.
///
/// ```swift
/// let api = app.grouped(APIKeyAuthenticator(), UserSessionAuthenticator())
/// api.grouped(APIKey.Identity.guardMiddleware()).get("keys-only") { req in
///     try req.auth.require(APIKey.Identity.self).name
/// }
/// api.grouped(HasAPIKey() | IsAuthenticated<User>()).get("either") { req in "key or user" }
/// ```
public struct APIKeyAuthenticator<Model: APIKeyModel>: Authenticator {
    /// Authenticates keys of `model`.
    public init(_ model: Model.Type) {}

    /// Authenticates, on the event loop when the outcome is known at once, and passes the
    /// request on whatever the outcome.
    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard request.apiKeys.authenticateWithoutWaiting(Model.self, state: RequestState.of(request)) == nil else { return next.respond(to: request) }
        return request.eventLoop.makeFutureWithTask { _ = await request.apiKeys.authenticate(Model.self) }
            .flatMap { next.respond(to: request) }
    }
}

extension APIKeyAuthenticator where Model == APIKey {
    /// Authenticates keys of the built-in `APIKey` model.
    public init() {}
}
