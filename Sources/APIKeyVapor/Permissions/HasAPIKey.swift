public import APIKeyCore
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
/// app.grouped(HasAPIKey(requiring: ReportScope.write)).post("reports") { req in … }
/// app.grouped(HasAPIKey(requiring: .all(ReportScope.read, .write))).put("reports") { req in … }
/// ```
///
/// A valid key without the scopes a route requires gets 403 with
/// `WWW-Authenticate: Api-Key error="insufficient_scope", scope="reports:write"`.
public struct HasAPIKey<Model: APIKeyModel>: RoutePermission {
    /// What the route requires of the key's scopes; `nil` for nothing.
    let scopes: ScopeCheck?

    /// Grants keys of `model`.
    public init(_ model: Model.Type) {
        self.scopes = nil
    }

    /// Grants keys of `model` that meet `requirement`.
    ///
    /// ```swift
    /// HasAPIKey(OrganizationAPIKey.self, requiring: .any(ReportScope.read, .write))
    /// ```
    public init<Scope: APIKeyScope>(_ model: Model.Type, requiring requirement: ScopeRequirement<Scope>) {
        self.scopes = ScopeCheck(requirement)
    }

    /// Grants keys of `model` that hold `scope`.
    public init<Scope: APIKeyScope>(_ model: Model.Type, requiring scope: Scope) {
        self.init(model, requiring: .scope(scope))
    }

    /// Whether the request carries a valid key of `Model`.
    ///
    /// - Throws: `APIKeyRefusal.unavailable` when the key could not be checked (the
    ///   key store did not answer): neither `true` nor `false` would be right, so the whole
    ///   permission expression ends there with 503, however it wraps this one (`!`, `|`, `&`).
    public func hasPermission(_ request: Request) async throws -> Bool {
        let outcome = await request.apiKeys.authenticate(Model.self)
        if outcome.isUnavailable { throw APIKeyRefusal.unavailable }
        guard let identity = request.auth.get(APIKeyIdentity<Model>.self) else { return false }
        return admits(identity, request)
    }

    /// Whether the key's scopes meet the route's requirement; if not, the refusal will name
    /// what it lacks.
    private func admits(_ identity: APIKeyIdentity<Model>, _ request: Request) -> Bool {
        guard let scopes else { return true }
        if scopes.admits(identity.scopes) { return true }
        RequestState.of(request).updateCredentials { _ = scopes.admits(identity.scopes, notingIn: &$0) }
        return false
    }

    /// Answers on the event loop when the outcome is known at once (no key, a malformed one, or
    /// a cache hit), and through ``RoutePermission/respond(to:chainingTo:)-(_,AsyncResponder)``
    /// otherwise. This is Vapor's `Middleware` requirement, implemented with futures only to skip
    /// the task an async middleware starts for every request: on a cache hit, a protected route
    /// then costs what an open one does, plus one SHA-512.
    @_specialize(where Model == APIKey)  // see APIKeyService.authenticateWithoutWaiting
    public func respond(to request: Request, chainingTo next: any Responder) -> EventLoopFuture<Response> {
        guard let outcome = request.apiKeys.authenticateWithoutWaiting(Model.self, state: RequestState.of(request)) else {
            return request.eventLoop.makeFutureWithTask {
                try await self.respond(to: request, chainingTo: AsyncBasicResponder { try await next.respond(to: $0).get() })
            }
        }
        // Granted means logged in (`req.auth`): the outcome says so without a storage lookup.
        guard outcome.isGranted else { return request.eventLoop.makeSucceededFuture(request.refusalResponse()) }
        if scopes != nil, let identity = outcome.identity, !admits(identity, request) {
            return request.eventLoop.makeSucceededFuture(request.refusalResponse())
        }
        // Not remembered for object checks, as other permissions are: HasAPIKey grants every
        // object (DRF's default), so it could never refuse one.
        guard outcome.rateLimit != nil || outcome.identity?.deprecation != nil else { return next.respond(to: request) }
        return next.respond(to: request).map { request.withKeyFields($0) }
    }
}

extension HasAPIKey where Model == APIKey {
    /// Grants keys of the built-in `APIKey` model.
    public init() {
        self.init(APIKey.self)
    }

    /// Grants keys of the built-in `APIKey` model that meet `requirement`.
    ///
    /// ```swift
    /// app.grouped(HasAPIKey(requiring: .all(ReportScope.read, .write)))
    /// ```
    public init<Scope: APIKeyScope>(requiring requirement: ScopeRequirement<Scope>) {
        self.init(APIKey.self, requiring: requirement)
    }

    /// Grants keys of the built-in `APIKey` model that hold `scope`.
    ///
    /// ```swift
    /// app.grouped(HasAPIKey(requiring: ReportScope.write))
    /// ```
    public init<Scope: APIKeyScope>(requiring scope: Scope) {
        self.init(APIKey.self, requiring: .scope(scope))
    }
}
