import APIKeyCore
public import APIKeyFluent
public import Vapor

/// Grants requests that carry a valid API key of `Model`: upstream's `HasAPIKey` and
/// `BaseHasAPIKey`.
///
/// It authenticates the request if no ``APIKeyAuthenticator`` did (one indexed lookup and one
/// SHA-512, or the cache and one SHA-512), then requires the key's identity in `req.auth`. The
/// handler reads it as `req.auth.require(APIKeyIdentity<Model>.self)` or
/// ``Vapor/Request/requireAPIKey(_:)``, with no second parse, query or hash.
///
/// ```swift
/// app.grouped(HasAPIKey()).get("status") { req in
///     "Hello, \(try req.auth.require(APIKey.Identity.self).name)"
/// }
/// ```
public struct HasAPIKey<Model: APIKeyModel>: RoutePermission {
    /// Grants keys of `model`.
    public init(_ model: Model.Type) {}

    /// Whether the request carries a valid key of `Model`.
    ///
    /// - Throws: `APIKeyRefusal.unavailable` when the key could not be checked (the
    ///   key store did not answer): neither `true` nor `false` would be right, so the whole
    ///   permission expression ends there with 503, however it wraps this one (`!`, `|`, `&`).
    public func hasPermission(_ request: Request) async throws -> Bool {
        if await request.apiKeys.authenticate(Model.self).isUnavailable { throw APIKeyRefusal.unavailable }
        return request.auth.has(APIKeyIdentity<Model>.self)
    }

    /// Answers on the event loop when the outcome is known at once (no key, a malformed one, or
    /// a cache hit), and through ``RoutePermission/respond(to:chainingTo:)-(_,AsyncResponder)``
    /// otherwise. This is Vapor's `Middleware` requirement, implemented with futures only to skip
    /// the task an async middleware starts for every request: on a cache hit, a protected route
    /// then costs what an open one does, plus one SHA-512.
    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard let outcome = request.apiKeys.authenticateWithoutWaiting(Model.self, state: RequestState.of(request)) else {
            return request.eventLoop.makeFutureWithTask {
                try await self.respond(to: request, chainingTo: AsyncBasicResponder { try await next.respond(to: $0).get() })
            }
        }
        // Granted means logged in (`req.auth`): the outcome says so without a storage lookup.
        guard outcome.isGranted else { return request.eventLoop.makeSucceededFuture(request.refusalResponse()) }
        // Not remembered for object checks, as other permissions are: HasAPIKey grants every
        // object (DRF's default), so it could never refuse one.
        return next.respond(to: request)
    }
}

extension HasAPIKey where Model == APIKey {
    /// Grants keys of the built-in `APIKey` model.
    public init() {}
}
