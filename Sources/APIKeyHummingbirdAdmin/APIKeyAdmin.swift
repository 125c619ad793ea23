// The panel's settings (`APIKeyAdminOwner`, `AdminNavigation`…) come with the mount.
@_exported public import APIKeyAdminPanel
public import APIKeyFluent
public import APIKeyHummingbird
import Foundation
public import Hummingbird
import HTTPTypes
import Logging
import NIOCore

/// The API key admin panel on Hummingbird, like upstream's Django admin section: list (newest
/// first, paginated, searchable by name or prefix, filtered by status), bulk revoke, create (the
/// key is shown once), edit name and expiry, revoke, delete. Its pages live under `keys` in the
/// group it is added to, and its changes go through the app's `APIKeys`, so
/// they reach the cache requests read at once.
///
/// It does no authentication of its own: add it to a group behind yours.
///
/// ```swift
/// let staff = router.group("admin").add(middleware: StaffOnly())
/// APIKeyAdmin(apiKeys, APIKey.self).add(to: staff)                                  // /admin/keys
/// APIKeyAdmin(apiKeys, OrganizationAPIKey.self, title: "Organization API keys", owner: organizationOwner)
///     .add(to: staff.group("organization"))                                          // /admin/organization/keys
/// ```
public struct APIKeyAdmin<Model: APIKeyModel>: Sendable {
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
    /// The largest form accepted; larger ones get 413.
    public var maximumBodySize = 16 * 1024
    private var panel: AdminPanel<Model>
    private let apiKeys: APIKeys

    /// A panel for `model` keys.
    ///
    /// - Parameters:
    ///   - apiKeys: The app's keys, whose cache the panel's changes reach.
    ///   - model: The key model.
    ///   - title: The heading.
    ///   - owner: For custom models: the owner column, filter and create-form choice.
    public init(_ apiKeys: APIKeys, _ model: Model.Type, title: String = "API keys", owner: APIKeyAdminOwner<Model>? = nil) {
        self.apiKeys = apiKeys
        self.panel = AdminPanel(model, title: title, owner: owner)
    }

    /// Adds the panel's routes to `router` (a router or a group): everything under `keys`.
    ///
    /// - Parameters:
    ///   - router: Where the pages go.
    ///   - session: The request's session, if your app has one: the CSRF token is kept there;
    ///     without it, a double-submit cookie is used.
    ///   - signedInAs: Who is signed in, for the panel's header; `nil` shows no one.
    public func add<Context: RequestContext>(
        to router: some RouterMethods<Context>,
        session: @escaping @Sendable (Request, Context) -> AdminSession? = { _, _ in nil },
        signedInAs: @escaping @Sendable (Request, Context) -> String? = { _, _ in nil }
    ) {
        let keys = router.group("keys")
        for path in ["", "**"] {
            keys.on(RouterPath(path), method: .get) { request, context in try await respond(request, context, session, signedInAs) }
            keys.on(RouterPath(path), method: .post) { request, context in try await respond(request, context, session, signedInAs) }
        }
    }

    private func respond<Context: RequestContext>(
        _ request: Request, _ context: Context, _ session: (Request, Context) -> AdminSession?, _ signedInAs: (Request, Context) -> String?
    ) async throws -> Response {
        let body: ByteBuffer
        do {
            body = request.method == .post ? try await request.body.collect(upTo: maximumBodySize) : ByteBuffer()
        } catch {
            return Response(status: .contentTooLarge)
        }
        var adminRequest: AdminRequest
        do {
            // The mount point is where the matched route's `keys` is, in the request's own path.
            let route = (context.endpointPath ?? "").split(separator: "/")
            adminRequest = try AdminRequest(
                request, body: Array(body.readableBytesView), rootCount: route.firstIndex(of: "keys") ?? 0, session: session(request, context))
        } catch {
            return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: error.message)))
        }
        adminRequest.signedInAs = signedInAs(request, context)
        let answer = try await panel.respond(to: adminRequest, manager: apiKeys.manager(Model.self, logger: context.logger))
        var headers = HTTPFields()
        for header in answer.headers {
            if let name = HTTPField.Name(header.name) { headers.append(HTTPField(name: name, value: header.value)) }
        }
        var response = Response(status: .init(code: answer.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: answer.body)))
        for cookie in answer.cookies {
            response.setCookie(Cookie(
                name: cookie.name, value: cookie.value, expires: cookie.clear ? Date(timeIntervalSince1970: 0) : nil,
                maxAge: cookie.clear ? 0 : nil, path: cookie.path, secure: cookie.isSecure, httpOnly: cookie.isHTTPOnly, sameSite: .strict))
        }
        return response
    }
}

extension APIKeyAdmin where Model == APIKey {
    /// A panel for the built-in `APIKey` model.
    ///
    /// ```swift
    /// APIKeyAdmin(apiKeys).add(to: router.group("admin").add(middleware: StaffOnly()))
    /// ```
    public init(_ apiKeys: APIKeys, title: String = "API keys") {
        self.init(apiKeys, APIKey.self, title: title)
    }
}

extension Request {
    /// Whether this POST's form (its body, collected) carries the admin panel's CSRF token for
    /// `session`: for the app's own forms in the panel, such as the header's sign-out button.
    ///
    /// ```swift
    /// let body = try await request.body.collect(upTo: 4_096)
    /// guard request.hasAdminCSRFToken(body: body, session: session) else { … }
    /// ```
    public func hasAdminCSRFToken(body: ByteBuffer, session: AdminSession?) -> Bool {
        (try? AdminRequest(self, body: Array(body.readableBytesView), rootCount: 0, session: session))?.hasValidCSRFToken ?? false
    }
}

extension AdminRequest {
    /// What the panel needs of a Hummingbird request whose path starts with `rootCount`
    /// components of the panel's root.
    init(_ request: Request, body: [UInt8], rootCount: Int, session: AdminSession?) throws(AdminInputError) {
        let components = request.uri.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        let rootComponents = request.uri.path.split(separator: "/").prefix(rootCount)
        var cookies: [String: String] = [:]
        for header in request.headers[values: .cookie] {
            for pair in header.split(separator: ";") {
                // A pair without a name (`=`, `=value`) names no cookie.
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = parts[0].trimmingCharacters(in: .whitespaces)
                if !name.isEmpty, cookies[name] == nil { cookies[name] = parts.count > 1 ? String(parts[1]) : "" }
            }
        }
        self.init(
            method: request.method == .post ? .post : .get,
            root: rootComponents.isEmpty ? "" : "/" + rootComponents.joined(separator: "/"),
            path: Array(components.dropFirst(rootCount)),
            query: try AdminForm(query: request.uri.query ?? ""),
            form: request.method == .post ? try AdminForm(bytes: body) : AdminForm(),
            cookies: cookies,
            // A proxy in front that serves HTTPS says so; a client that claims it over plain
            // HTTP only gets cookies its browser will not send back.
            isSecure: request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https",
            session: session)
    }
}
