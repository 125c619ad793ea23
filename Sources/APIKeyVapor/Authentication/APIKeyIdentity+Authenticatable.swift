public import APIKeyFluent
public import Vapor

/// A verified key is a Vapor identity: `req.auth.get(APIKey.Identity.self)`,
/// `req.auth.require(…)`, `APIKey.Identity.guardMiddleware()`.
extension APIKeyIdentity: Authenticatable {
    /// Vapor's guard for a key's identity, answering as ``HasAPIKey`` does: 401 with the
    /// challenge (and nothing about why a key was refused), or 503 when the key could not be
    /// checked, in the app's refusal response. Vapor's own guard would answer 401 to a database
    /// outage, with the Swift type's name as its reason.
    ///
    /// ```swift
    /// app.grouped(APIKeyAuthenticator(), APIKey.Identity.guardMiddleware()).get("keys-only") { req in
    ///     try req.auth.require(APIKey.Identity.self).name
    /// }
    /// ```
    public static func guardMiddleware() -> any Middleware {
        IdentityGuard()
    }

    private struct IdentityGuard: Middleware {
        func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
            guard request.auth.has(APIKeyIdentity<Model>.self) else { return request.eventLoop.makeSucceededFuture(request.refusalResponse()) }
            return next.respond(to: request)
        }
    }
}
