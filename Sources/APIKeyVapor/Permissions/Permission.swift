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
/// A request that is refused gets 401 with `WWW-Authenticate` when it carried no accepted
/// credentials (no key, or a key that is not valid), and 403 when it did but the rule still says
/// no. Object-level checks run when a handler calls ``Vapor/Request/checkObjectPermissions(_:)``.
public protocol Permission: AsyncMiddleware {
    /// Whether the request may reach the route at all: DRF's `has_permission`.
    func hasPermission(_ request: Request) async throws -> Bool

    /// Whether the request may act on `object`: DRF's `has_object_permission`. Defaults to
    /// `true`, as in DRF 3.14+.
    func hasObjectPermission(_ request: Request, object: any Sendable) async throws -> Bool
}

extension Permission {
    /// Grants every object, as DRF's `BasePermission` does.
    public func hasObjectPermission(_ request: Request, object: any Sendable) async throws -> Bool { true }

    /// Lets the request through if ``hasPermission(_:)`` says so, and remembers this permission
    /// for ``Vapor/Request/checkObjectPermissions(_:)``; refuses it otherwise.
    public func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        // A refusal is answered here, in Vapor's error shape, rather than thrown to ErrorMiddleware:
        // refusals are common, and a prepared body costs no JSON encoding.
        guard try await hasPermission(request) else { return request.permissionDenied().response }
        grant(request)
        return try await next.respond(to: request)
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
    /// - Throws: 401 or 403, as for a refused request.
    public func checkObjectPermissions(_ object: any Sendable) async throws {
        for permission in RequestState.existing(self)?.granted ?? [] {
            guard try await permission.hasObjectPermission(self, object: object) else { throw permissionDenied() }
        }
    }

    /// The error for a refused request: 401 with a challenge when it carried no accepted
    /// credentials, 403 otherwise. The body never says why a key was refused.
    func permissionDenied() -> Refusal {
        let credentials = RequestState.existing(self)?.credentials ?? RequestState.Credentials()
        if credentials.accepted { return .forbidden }
        return credentials.refusedKey
            ? .invalidKey(challenge: application.apiKeys.parser.challenge)
            : .noCredentials(challenge: application.apiKeys.parser.challenge)
    }
}

/// A refused request's answer, in Vapor's error shape (`{"error":true,"reason":…}`), as a
/// response to return or an error to throw.
struct Refusal: AbortError {
    let status: HTTPResponseStatus
    let reason: String
    let challenge: String?

    static let forbidden = Refusal(status: .forbidden, reason: "You do not have permission to perform this action.", challenge: nil)
    static func invalidKey(challenge: String) -> Refusal {
        Refusal(status: .unauthorized, reason: "The API key is not valid.", challenge: challenge)
    }
    static func noCredentials(challenge: String) -> Refusal {
        Refusal(status: .unauthorized, reason: "Authentication credentials were not provided.", challenge: challenge)
    }

    var headers: HTTPHeaders {
        var headers = HTTPHeaders()
        if let challenge { headers.replaceOrAdd(name: .wwwAuthenticate, value: challenge) }
        return headers
    }

    /// The response ErrorMiddleware would make for this error, without encoding anything.
    var response: Response {
        var headers = self.headers
        headers.contentType = .json
        // The reasons are fixed strings without quotes or backslashes: no escaping needed.
        return Response(status: status, headers: headers, body: .init(string: #"{"error":true,"reason":"\#(reason)"}"#))
    }
}
