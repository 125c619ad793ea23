public import APIKeyAdminPanel
public import APIKeyFluent
import Foundation
public import Hummingbird
import HTTPTypes
public import Logging
import NIOCore

/// The API key admin panel on Hummingbird: every page under `root/keys`, answered by the
/// framework-neutral ``APIKeyAdminPanel/AdminPanel``. It does no authentication of its own:
/// add it to a group behind yours.
///
/// ```swift
/// let staff = router.group().add(middleware: StaffOnly())
/// APIKeyAdminRoutes(AdminPanel(APIKey.self, root: "/admin"), manager: { APIKeyManager(on: fluent.db(logger: $0)) })
///     .add(to: staff)
/// ```
public struct APIKeyAdminRoutes<Model: APIKeyModel, Context: RequestContext>: Sendable {
    let panel: AdminPanel<Model>
    let manager: @Sendable (Logger) -> APIKeyManager<Model>
    let session: @Sendable (Request, Context) -> AdminSession?
    let signedInAs: @Sendable (Request, Context) -> String?
    let maximumBodySize: Int

    /// Routes for `panel`.
    ///
    /// - Parameters:
    ///   - panel: The panel, with its root path (e.g. `/admin`).
    ///   - manager: The keys' manager for a request's logger; take it from the app's service so
    ///     that its changes reach the verification cache at once.
    ///   - session: The request's session, if your app has one: the CSRF token is kept there;
    ///     without it, a double-submit cookie is used.
    ///   - signedInAs: Who is signed in, for the panel's header; `nil` shows no one.
    ///   - maximumBodySize: The largest form accepted; larger ones get 413.
    public init(
        _ panel: AdminPanel<Model>, manager: @escaping @Sendable (Logger) -> APIKeyManager<Model>,
        session: @escaping @Sendable (Request, Context) -> AdminSession? = { _, _ in nil },
        signedInAs: @escaping @Sendable (Request, Context) -> String? = { _, _ in nil }, maximumBodySize: Int = 16 * 1024
    ) {
        self.panel = panel
        self.manager = manager
        self.session = session
        self.signedInAs = signedInAs
        self.maximumBodySize = maximumBodySize
    }

    /// Adds the panel's routes to `router` (a router or a group).
    public func add(to router: some RouterMethods<Context>) {
        let keys = RouterPath(panel.root + "/keys")
        let everything = RouterPath(panel.root + "/keys/**")
        for path in [keys, everything] {
            router.on(path, method: .get) { request, context in try await respond(request, context) }
            router.on(path, method: .post) { request, context in try await respond(request, context) }
        }
    }

    private func respond(_ request: Request, _ context: Context) async throws -> Response {
        let body: ByteBuffer
        do {
            body = request.method == .post ? try await request.body.collect(upTo: maximumBodySize) : ByteBuffer()
        } catch {
            return Response(status: .contentTooLarge)
        }
        let adminRequest: AdminRequest
        do {
            adminRequest = try self.adminRequest(request, context, body: Array(body.readableBytesView))
        } catch {
            return Response(status: .badRequest, body: .init(byteBuffer: ByteBuffer(string: error.message)))
        }
        let answer = try await panel.respond(to: adminRequest, manager: manager(context.logger))
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

    /// What the panel needs of a Hummingbird request.
    private func adminRequest(_ request: Request, _ context: Context, body: [UInt8]) throws(AdminInputError) -> AdminRequest {
        var adminRequest = try AdminRequest(
            request, body: body, rootCount: panel.root.split(separator: "/").count, session: session(request, context))
        adminRequest.signedInAs = signedInAs(request, context)
        return adminRequest
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
