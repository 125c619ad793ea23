// The panel's settings (`APIKeyAdminOwner`, `AdminNavigation`…) come with the mount.
@_exported public import APIKeyAdminPanel
public import APIKeyVapor
import Foundation
public import Vapor

/// The API key admin panel on Vapor, like upstream's Django admin section: list (newest first,
/// paginated, searchable by name or prefix, filtered by status), bulk revoke, create (the key is
/// shown once), edit name and expiry, revoke, delete. Its pages live under `keys` in the route
/// group it is registered on.
///
/// It does no authentication of its own: register it on a group behind yours.
///
/// ```swift
/// let staff = app.grouped("admin").grouped(StaffSessionAuthenticator(), StaffUser.redirectMiddleware(path: "/login"))
/// try staff.register(collection: APIKeyAdmin())                                           // /admin/keys
/// try staff.grouped("organization").register(collection: APIKeyAdmin(
///     OrganizationAPIKey.self, title: "Organization API keys", owner: organizationOwner))   // /admin/organization/keys
/// ```
public struct APIKeyAdmin<Model: APIKeyModel>: RouteCollection, Sendable {
    /// The panel's heading.
    public var title: String { panel.title }
    /// Keys per page.
    public var pageSize: Int {
        get { panel.pageSize }
        set { panel.pageSize = newValue }
    }
    /// The header's links and sign-out button.
    public var navigation: AdminNavigation {
        get { panel.navigation }
        set { panel.navigation = newValue }
    }
    /// Who is signed in, shown in the header; `nil` shows no one.
    ///
    /// ```swift
    /// admin.signedInAs = { req in req.auth.get(StaffUser.self)?.email }
    /// ```
    public var signedInAs: @Sendable (Request) -> String? = { _ in nil }
    private var panel: AdminPanel<Model>

    /// A panel for `model` keys.
    ///
    /// - Parameters:
    ///   - model: The key model.
    ///   - title: The heading.
    ///   - owner: For custom models: the owner column, filter and create-form choice.
    public init(_ model: Model.Type, title: String = "API keys", owner: APIKeyAdminOwner<Model>? = nil) {
        self.panel = AdminPanel(model, title: title, owner: owner)
    }

    /// Registers the panel's routes: everything under `keys`, in the group it is registered on.
    public func boot(routes: any RoutesBuilder) throws {
        let keys = routes.grouped("keys")
        for method in [HTTPMethod.GET, .POST] {
            keys.on(method, use: respond)
            keys.on(method, "**", use: respond)
        }
    }

    @Sendable func respond(_ req: Request) async throws -> Response {
        let request: AdminRequest
        do {
            request = try adminRequest(req)
        } catch {
            return Response(status: .badRequest, body: .init(string: error.message))
        }
        let answer = try await panel.respond(to: request, manager: req.apiKeys.manager(Model.self))
        var headers = HTTPHeaders(answer.headers.map { ($0.name, $0.value) })
        if headers.contentType == nil, !answer.body.isEmpty { headers.contentType = .plainText }
        let response = Response(status: .init(statusCode: answer.status), headers: headers, body: .init(string: answer.body))
        for cookie in answer.cookies {
            response.cookies[cookie.name] = HTTPCookies.Value(
                string: cookie.value, expires: cookie.clear ? Date(timeIntervalSince1970: 0) : nil, maxAge: cookie.clear ? 0 : nil,
                path: cookie.path, isSecure: cookie.isSecure, isHTTPOnly: cookie.isHTTPOnly, sameSite: .strict)
        }
        return response
    }

    /// What the panel needs of a Vapor request: its mount point is where the matched route's
    /// `keys` is, in the request's own path.
    private func adminRequest(_ req: Request) throws(AdminInputError) -> AdminRequest {
        let mountDepth = req.route?.path.firstIndex { $0 == .constant("keys") } ?? 0
        var request = try AdminRequest(req, rootCount: mountDepth)
        request.signedInAs = signedInAs(req)
        return request
    }
}

extension AdminRequest {
    /// What the panel needs of a Vapor request whose path starts with `rootCount` components of
    /// the panel's root.
    init(_ req: Request, rootCount: Int) throws(AdminInputError) {
        let components = req.url.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        let rootComponents = req.url.path.split(separator: "/").prefix(rootCount)
        let body = req.body.data.map { Array($0.readableBytesView) } ?? []
        self.init(
            method: req.method == .POST ? .post : .get,
            root: rootComponents.isEmpty ? "" : "/" + rootComponents.joined(separator: "/"),
            path: Array(components.dropFirst(rootCount)),
            query: try AdminForm(query: req.url.query ?? ""),
            form: req.method == .POST ? try AdminForm(bytes: body) : AdminForm(),
            cookies: req.cookies.all.mapValues(\.string),
            // This server's TLS, or a proxy in front of it that says so. A client that claims
            // HTTPS over plain HTTP only gets cookies its browser will not send back.
            isSecure: req.application.http.server.configuration.tlsConfiguration != nil
                || req.headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https",
            session: req.hasSession ? AdminSession(read: { req.session.data[$0] }, write: { req.session.data[$0] = $1 }) : nil)
    }
}

extension APIKeyAdmin where Model == APIKey {
    /// A panel for the built-in `APIKey` model.
    ///
    /// ```swift
    /// try app.grouped("admin").grouped(MyAdminAuth()).register(collection: APIKeyAdmin())
    /// ```
    public init(title: String = "API keys") {
        self.init(APIKey.self, title: title)
    }
}

extension Request {
    /// Whether this POST's form carries the admin panel's CSRF token, for the app's own forms in
    /// the panel, such as the header's sign-out button.
    ///
    /// ```swift
    /// app.post("logout") { req in
    ///     guard req.hasAdminCSRFToken else { throw Abort(.forbidden) }
    ///     req.session.destroy()
    ///     return req.redirect(to: "/login")
    /// }
    /// ```
    public var hasAdminCSRFToken: Bool {
        (try? AdminRequest(self, rootCount: 0))?.hasValidCSRFToken ?? false
    }
}
