import APIKeyCore
public import Vapor

/// A rule that decides whether a request may reach a route: Django REST Framework's permission
/// classes, as Vapor middleware.
///
/// Apply permissions to route groups, and compose them with `|`, `&` and `!` exactly as DRF
/// composes them:
///
/// ```swift
/// let api = app.grouped(HasAPIKey() | IsAuthenticated<User>())
/// api.get("reports") { req in … }
///
/// let admin = app.grouped(HasAPIKey(OrganizationAPIKey.self) & !IsAuthenticated<Guest>())
/// ```
///
/// A refused request is answered as `PresentedCredentials` decides: 503 when a key
/// could not be checked, 403 when credentials were accepted but the rule says no, and 401 with
/// `WWW-Authenticate` otherwise; `app.apiKeys.refusalResponse` renders it.
///
/// A permission that cannot decide throws, and the throw ends the whole expression, as an
/// exception does in DRF: ``HasAPIKey`` throws when the key store does not answer, so that
/// `IsAuthenticated<User>() & !HasAPIKey(PartnerKey.self)` answers 503 then, never "no partner
/// key, come in". Object-level checks
/// run when a handler calls ``Vapor/Request/checkObjectPermissions(_:)``.
public protocol RoutePermission: AsyncMiddleware {
    /// Whether the request may reach the route at all: DRF's `has_permission`.
    func hasPermission(_ request: Request) async throws -> Bool

    /// Whether the request may act on `object`: DRF's `has_object_permission`. Defaults to
    /// `true`, as in DRF 3.14+.
    func hasObjectPermission(_ request: Request, object: any Sendable) async throws -> Bool
}

extension RoutePermission {
    /// Grants every object, as DRF's `BasePermission` does.
    public func hasObjectPermission(_ request: Request, object: any Sendable) async throws -> Bool { true }

    /// Lets the request through if ``hasPermission(_:)`` says so, and remembers this permission
    /// for ``Vapor/Request/checkObjectPermissions(_:)``; refuses it otherwise. A permission that
    /// could not decide (it threw an `APIKeyRefusal`, such as a key that could not be
    /// checked) refuses it too, with 503.
    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let granted: Bool
        do {
            granted = try await hasPermission(request)
        } catch is APIKeyRefusal {
            return request.refusalResponse()
        }
        guard granted else { return request.refusalResponse() }
        grant(request)
        return request.withKeyFields(try await next.respond(to: request))
    }

    /// Remembers that this permission let `request` in, for object-level checks.
    func grant(_ request: Request) {
        RequestState.of(request).grant(self)
    }
}

extension Request {
    /// Checks every permission that let this request in against `object`: DRF's
    /// `check_object_permissions`. Call it once a handler has loaded what the request acts on.
    ///
    /// ```swift
    /// api.get("invoices", ":id") { req in
    ///     let invoice = try await Invoice.find(req.parameters.get("id"), on: req.db) ?? { throw Abort(.notFound) }()
    ///     try await req.checkObjectPermissions(invoice)
    ///     return invoice
    /// }
    /// ```
    /// - Throws: an `APIKeyRefusal` (401, 403 or 503), as for a refused request.
    public func checkObjectPermissions(_ object: any Sendable) async throws {
        for permission in RequestState.existing(self)?.granted ?? [] {
            guard try await permission.hasObjectPermission(self, object: object) else { throw refusal() }
        }
    }

    /// How this request is refused, from what its checks found.
    func refusal() -> APIKeyRefusal {
        let credentials = RequestState.existing(self)?.credentials ?? PresentedCredentials()
        return credentials.refusal(challenge: application.apiKeys.configuration.keySource.challenge)
    }

    /// The app's answer to ``refusal()``.
    /// `response`, with what the request's key tells its client: the `RateLimit-Policy` and
    /// `RateLimit` fields when it has a limit and the app sends them on every response, and
    /// `Deprecation` and `Sunset` while it is a rotated key in its grace period.
    func withKeyFields(_ response: Response) -> Response {
        guard let state = RequestState.existing(self) else { return response }
        if let status = state.rateLimit, application.apiKeys.settings.rateLimitFieldsOnEveryResponse, !response.headers.contains(name: "RateLimit") {
            for field in status.headerFields { response.headers.replaceOrAdd(name: field.name, value: field.value) }
        }
        if let deprecation = state.deprecation, !response.headers.contains(name: "Sunset") {
            for field in deprecation.headerFields { response.headers.replaceOrAdd(name: field.name, value: field.value) }
        }
        return response
    }

    func refusalResponse() -> Response {
        application.apiKeys.refusalResponse(refusal(), self)
    }
}
