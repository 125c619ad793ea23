public import APIKeyFluent
public import Fluent
import FluentSQL
import LeafKit
import SQLKit
public import Vapor

/// An admin panel for API keys, like upstream's Django admin section: list (newest first,
/// paginated, searchable by name or prefix, filtered by status), bulk revoke, create (the key is
/// shown once), edit name and expiry, revoke, delete. Server-rendered HTML that works without
/// JavaScript, with every value escaped and every form protected by a CSRF token.
///
/// It does no authentication of its own: mount it behind yours.
///
/// ```swift
/// let staff = app.grouped(StaffSessionAuthenticator(), StaffUser.redirectMiddleware(path: "/login"))
/// try staff.register(collection: APIKeyAdmin(path: "admin"))
/// try staff.register(collection: APIKeyAdmin(OrganizationAPIKey.self, path: "admin/organization-keys",
///                                            title: "Organization API keys", owner: organizationOwner))
/// ```
public struct APIKeyAdmin<Model: APIKeyModel>: RouteCollection, Sendable {
    /// The panel's heading.
    public let title: String
    /// Keys per page.
    public var pageSize = 25
    let path: [String]
    let owner: APIKeyAdminOwner<Model>?

    /// A panel for `model` keys at `path` (the full path from the server's root, e.g. `admin`).
    ///
    /// - Parameters:
    ///   - model: The key model.
    ///   - path: Where the panel lives; its pages are under `path/keys`.
    ///   - title: The heading.
    ///   - owner: For custom models: the owner column, filter and create-form choice.
    public init(_ model: Model.Type, path: String, title: String = "API keys", owner: APIKeyAdminOwner<Model>? = nil) {
        self.path = path.split(separator: "/").map(String.init)
        self.title = title
        self.owner = owner
    }

    /// Registers the panel's routes.
    public func boot(routes: any RoutesBuilder) throws {
        let keys = routes.grouped(path.map(PathComponent.init(stringLiteral:))).grouped("keys")
        keys.get(use: list)
        keys.get("new", use: newForm)
        keys.post(use: create)
        keys.post("revoke", use: revokeSelected)
        keys.get(":prefix", use: detail)
        keys.post(":prefix", use: update)
        keys.post(":prefix", "revoke", use: revoke)
        keys.get(":prefix", "delete", use: confirmDelete)
        keys.post(":prefix", "delete", use: delete)
    }

    /// What every link starts with: `/admin`, or nothing when the panel is mounted at the root.
    var root: String { path.isEmpty ? "" : "/" + path.joined(separator: "/") }

    /// The panel's cookie path: its root, or `/`.
    var cookiePath: String { path.isEmpty ? "/" : root }

    // MARK: Pages

    @Sendable func list(_ req: Request) async throws -> Response {
        let query = try req.query.decode(ListQuery.self)
        let rawSearch = (query.q ?? "").trimmingCharacters(in: .whitespaces).prefix(100)
        // A NUL byte makes PostgreSQL refuse the query; no name or prefix holds a control character.
        let searchIsValid = !rawSearch.unicodeScalars.contains { $0.properties.generalCategory == .control }
        let search = searchIsValid ? rawSearch : ""
        let status = Status(rawValue: query.status ?? "") ?? .all
        let ownerFilter = query.owner.flatMap { $0.isEmpty ? nil : $0 }
        let now = Date()

        let filtered = Model.query(on: req.apiKeyAdminDatabase)
        if !search.isEmpty {
            filtered.group(.or) {
                $0.filter(Self.containsIgnoringCase(Model.nameKey, String(search)))
                    .filter(Self.containsIgnoringCase(Model.path(for: Model.prefixField)[0], String(search)))
            }
        }
        switch status {
        case .all: break
        case .active:
            filtered.filter(Model.revokedField == false).group(.or) {
                $0.filter(.path([Model.expiresAtKey], schema: Model.schemaOrAlias), .equal, .null)
                    .filter(.path([Model.expiresAtKey], schema: Model.schemaOrAlias), .greaterThanOrEqual, .bind(Model.databaseValue(for: now)))
            }
        case .revoked: filtered.filter(Model.revokedField == true)
        case .expired: filtered.filter(.path([Model.expiresAtKey], schema: Model.schemaOrAlias), .lessThan, .bind(Model.databaseValue(for: now)))
        }
        if let owner, let ownerFilter { _ = owner.filter(filtered, ownerFilter) }

        let total = try await filtered.copy().count()
        let pageCount = max(1, (total + pageSize - 1) / pageSize)
        let page = min(max(query.page ?? 1, 1), pageCount)
        let models = try await filtered.sort(Model.createdAtKey, .descending)
            .range(((page - 1) * pageSize)..<(page * pageSize)).all()
        let choices = try await owner?.choices(req.apiKeyAdminDatabase) ?? []

        func link(_ page: Int) -> String {
            var components = URLComponents()
            components.queryItems = [
                .init(name: "q", value: String(search)), .init(name: "status", value: status.rawValue),
                .init(name: "owner", value: ownerFilter ?? ""), .init(name: "page", value: String(page)),
            ]
            return root + "/keys" + (components.string ?? "")
        }
        var context = try await baseContext(req, pageTitle: title)
        context["keys"] = .array(models.map { row($0, now: now, choices: choices) })
        context["empty"] = .bool(models.isEmpty)
        context["q"] = .string(String(search))
        context["statuses"] = .array(Status.allCases.map { option($0.rawValue, $0.label, selected: $0 == status) })
        context["owners"] = .array(choices.map { option($0.id, $0.label, selected: $0.id == ownerFilter) })
        context["page"] = .int(page)
        context["pageCount"] = .int(pageCount)
        context["total"] = .int(total)
        context["hasPrevious"] = .bool(page > 1)
        context["previousPage"] = .string(link(page - 1))
        context["hasNext"] = .bool(page < pageCount)
        context["nextPage"] = .string(link(page + 1))
        guard searchIsValid else {
            context["hasError"] = .bool(true)
            context["error"] = .string("The search cannot contain control characters (such as a NUL byte or a line break): enter part of a name or a prefix.")
            let response = try await render("list", context, req)
            response.status = .badRequest
            return response
        }
        return try await render("list", context, req)
    }

    @Sendable func newForm(_ req: Request) async throws -> Response {
        try await renderNewForm(req, name: "", expires: "", owner: nil, error: nil)
    }

    @Sendable func create(_ req: Request) async throws -> Response {
        let form = try await checkedForm(KeyForm.self, req)
        let name = form.name ?? ""
        let manager = req.apiKeys.manager(Model.self)
        do {
            let expiresAt = try Self.expiry(form.expires)
            let ownerID = form.owner ?? ""
            if let owner {
                let choices = try await owner.choices(req.apiKeyAdminDatabase)
                guard choices.contains(where: { $0.id == ownerID }) else { throw AdminInputError("Choose a valid \(owner.title).") }
            }
            let (record, key) = try await manager.createKey(name: name, expiresAt: expiresAt, revoked: form.revoked == "on") { model in
                owner?.assign(model, ownerID)
            }
            let response = req.redirect(to: root + "/keys/" + record.prefix, redirectType: .normal)
            let cookie = NewKeyCookie(prefix: record.prefix, secure: AdminTransport.isSecure(req))
            response.cookies[cookie.name] = cookie.carrying(key, path: root + "/keys/" + record.prefix)
            return response
        } catch let error as AdminInputError {
            return try await renderNewForm(req, name: name, expires: form.expires ?? "", owner: form.owner, error: error.message, status: .badRequest)
        } catch let error as APIKeyManagerError {
            guard case .invalidName(let message) = error else { throw error }
            return try await renderNewForm(req, name: name, expires: form.expires ?? "", owner: form.owner, error: message, status: .badRequest)
        }
    }

    @Sendable func detail(_ req: Request) async throws -> Response {
        let key = try await find(req)
        var context = try await baseContext(req, pageTitle: key.prefix)
        context["key"] = row(key, now: Date(), choices: try await owner?.choices(req.apiKeyAdminDatabase) ?? [])
        // The new key, once: it came in a cookie set by `create` for this key alone, cleared here.
        let cookie = NewKeyCookie(prefix: key.prefix, secure: AdminTransport.isSecure(req))
        let newKey = req.cookies[cookie.name].map(\.string).flatMap { value in value.hasPrefix(key.prefix + ".") ? value : nil }
        context["hasNewKey"] = .bool(newKey != nil)
        context["newKey"] = .string(newKey ?? "")
        let response = try await render("detail", context, req)
        if req.cookies[cookie.name] != nil { response.cookies[cookie.name] = cookie.cleared(path: root + "/keys/" + key.prefix) }
        response.headers.cacheControl = .init(noStore: true)
        return response
    }

    @Sendable func update(_ req: Request) async throws -> Response {
        let form = try await checkedForm(KeyForm.self, req)
        let key = try await find(req)
        // Once revoked, a key is frozen: upstream's admin makes every field read-only.
        guard !key.isRevoked else { return req.redirect(to: root + "/keys/" + key.prefix + "?notice=frozen", redirectType: .normal) }
        do {
            key.name = form.name ?? ""
            // The form shows the expiry to the minute: an unchanged field keeps the stored
            // seconds, so that editing only the name does not move the expiry.
            if (form.expires ?? "").trimmingCharacters(in: .whitespaces) != DateInput.field(key.expiresAt) {
                key.expiresAt = try Self.expiry(form.expires)
            }
            try await req.apiKeys.manager(Model.self).update(key)
            return req.redirect(to: root + "/keys/" + key.prefix + "?notice=saved", redirectType: .normal)
        } catch let error as AdminInputError {
            return try await renderDetailError(req, key, error.message)
        } catch APIKeyManagerError.invalidName(let message) {
            return try await renderDetailError(req, key, message)
        }
    }

    @Sendable func revoke(_ req: Request) async throws -> Response {
        _ = try await checkedForm(CSRFForm.self, req)
        let key = try await find(req)
        try await req.apiKeys.manager(Model.self).revoke(key)
        return req.redirect(to: root + "/keys/" + key.prefix + "?notice=revoked", redirectType: .normal)
    }

    @Sendable func revokeSelected(_ req: Request) async throws -> Response {
        let form = try await checkedForm(BulkForm.self, req)
        let prefixes = Array(Set(form.prefixes ?? [])).filter { $0.utf8.count <= 64 }
        try await req.apiKeys.manager(Model.self).revoke(prefixes: prefixes)
        return req.redirect(to: root + "/keys?notice=revoked-\(prefixes.count)", redirectType: .normal)
    }

    @Sendable func confirmDelete(_ req: Request) async throws -> Response {
        let key = try await find(req)
        var context = try await baseContext(req, pageTitle: "Delete " + key.prefix)
        context["key"] = row(key, now: Date(), choices: try await owner?.choices(req.apiKeyAdminDatabase) ?? [])
        return try await render("delete", context, req)
    }

    @Sendable func delete(_ req: Request) async throws -> Response {
        _ = try await checkedForm(CSRFForm.self, req)
        let key = try await find(req)
        try await req.apiKeys.manager(Model.self).delete(key)
        return req.redirect(to: root + "/keys?notice=deleted", redirectType: .normal)
    }

    // MARK: Helpers

    /// `LOWER(column) LIKE '%text%'`: case-insensitive on SQLite and PostgreSQL alike (Fluent's
    /// `contains` is case-sensitive on PostgreSQL).
    static func containsIgnoringCase(_ column: FieldKey, _ text: String) -> DatabaseQuery.Filter {
        .sql(SQLBinaryExpression(
            SQLFunction("LOWER", args: SQLColumn(column.description, table: Model.schemaOrAlias)),
            .like, SQLBind("%" + text.lowercased() + "%")))
    }

    /// The expiry field: empty for never.
    static func expiry(_ text: String?) throws(AdminInputError) -> Date? {
        guard let text, !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        do {
            return try DateInput.parse(text)
        } catch {
            throw AdminInputError("Enter the expiry as a date and time, e.g. 2027-01-31 12:00 (UTC).")
        }
    }

    private func find(_ req: Request) async throws -> Model {
        guard let prefix = req.parameters.get("prefix"),
            let key = try await req.apiKeys.manager(Model.self).model(prefix: prefix)
        else { throw Abort(.notFound, reason: "No API key has this prefix.") }
        return key
    }

    private func renderNewForm(
        _ req: Request, name: String, expires: String, owner selected: String?, error: String?, status: HTTPStatus = .ok
    ) async throws -> Response {
        var context = try await baseContext(req, pageTitle: "Add API key")
        context["name"] = .string(name)
        context["expires"] = .string(expires)
        context["owners"] = .array((try await owner?.choices(req.apiKeyAdminDatabase) ?? []).map { option($0.id, $0.label, selected: $0.id == selected) })
        if let error {
            context["hasError"] = .bool(true)
            context["error"] = .string(error)
        }
        let response = try await render("new", context, req)
        response.status = status
        return response
    }

    private func renderDetailError(_ req: Request, _ key: Model, _ message: String) async throws -> Response {
        var context = try await baseContext(req, pageTitle: key.prefix)
        context["key"] = row(key, now: Date(), choices: try await owner?.choices(req.apiKeyAdminDatabase) ?? [])
        context["hasNewKey"] = .bool(false)
        context["newKey"] = .string("")
        context["hasError"] = .bool(true)
        context["error"] = .string(message)
        let response = try await render("detail", context, req)
        response.status = .badRequest
        return response
    }

    private func baseContext(_ req: Request, pageTitle: String) async throws -> [String: LeafData] {
        let notice = req.query[String.self, at: "notice"].flatMap(Notice.message)
        return [
            "title": .string(title), "pageTitle": .string(pageTitle), "root": .string(root),
            "csrf": .string(CSRF.token(for: req)),
            "hasOwner": .bool(owner != nil), "ownerTitle": .string(owner?.title ?? ""),
            "hasNotice": .bool(notice != nil), "notice": .string(notice ?? ""),
            "hasError": .bool(false), "error": .string(""),
        ]
    }

    private func row(_ key: Model, now: Date, choices: [AdminChoice]) -> LeafData {
        let ownerID = owner?.of(key)
        return .dictionary([
            "prefix": .string(key.prefix), "name": .string(key.name),
            "created": .string(DateInput.display(key.createdAt)), "expires": .string(DateInput.display(key.expiresAt)),
            "expiresInput": .string(DateInput.field(key.expiresAt)),
            "hasExpired": .bool(key.hasExpired(at: now)), "revoked": .bool(key.isRevoked),
            "owner": .string(choices.first { $0.id == ownerID }?.label ?? ownerID ?? ""),
        ])
    }

    private func option(_ value: String, _ label: String, selected: Bool) -> LeafData {
        .dictionary(["value": .string(value), "label": .string(label), "selected": .bool(selected)])
    }

    private func render(_ template: String, _ context: [String: LeafData], _ req: Request) async throws -> Response {
        let renderer = LeafRenderer(
            configuration: LeafConfiguration(rootDirectory: "/"), sources: .singleSource(EmbeddedTemplates()),
            eventLoop: req.eventLoop)
        let body = try await renderer.render(path: template, context: context).get()
        let response = Response(status: .ok, body: .init(buffer: body))
        response.headers.contentType = .html
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: .contentSecurityPolicy, value: "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        CSRF.attach(to: response, for: req, path: cookiePath)
        return response
    }

    /// Decodes a POSTed form after checking its CSRF token.
    private func checkedForm<Form: Decodable & CSRFProtected>(_ type: Form.Type, _ req: Request) async throws -> Form {
        let form = try req.content.decode(Form.self)
        try CSRF.verify(form.csrf, for: req)
        return form
    }
}

extension APIKeyAdmin where Model == APIKey {
    /// A panel for the built-in ``APIKeyFluent/APIKey`` model at `path`.
    ///
    /// ```swift
    /// try app.grouped(MyAdminAuth()).register(collection: APIKeyAdmin(path: "admin"))
    /// ```
    public init(path: String, title: String = "API keys") {
        self.init(APIKey.self, path: path, title: title)
    }
}

/// What owns a custom model's keys (an organization, a user), for the admin panel: an extra
/// column, a filter, and a required choice when creating a key.
///
/// ```swift
/// let organizationOwner = APIKeyAdminOwner<OrganizationAPIKey>(
///     title: "Organization",
///     choices: { db in try await Organization.query(on: db).sort(\.$name).all().map { AdminChoice(id: $0.id!.uuidString, label: $0.name) } },
///     of: { $0.$organization.id.uuidString },
///     assign: { key, id in key.$organization.id = UUID(uuidString: id)! },
///     filter: { query, id in query.filter(\.$organization.$id == UUID(uuidString: id) ?? UUID()) })
/// ```
public struct APIKeyAdminOwner<Model: APIKeyModel>: Sendable {
    let title: String
    let choices: @Sendable (any Database) async throws -> [AdminChoice]
    let of: @Sendable (Model) -> String
    let assign: @Sendable (Model, String) -> Void
    let filter: @Sendable (QueryBuilder<Model>, String) -> QueryBuilder<Model>

    /// An owner relation.
    ///
    /// - Parameters:
    ///   - title: What an owner is called, e.g. "Organization".
    ///   - choices: Every owner, as id and label.
    ///   - of: The id of a key's owner.
    ///   - assign: Sets a new key's owner from a validated id.
    ///   - filter: Narrows a query to one owner's keys.
    public init(
        title: String, choices: @escaping @Sendable (any Database) async throws -> [AdminChoice],
        of: @escaping @Sendable (Model) -> String, assign: @escaping @Sendable (Model, String) -> Void,
        filter: @escaping @Sendable (QueryBuilder<Model>, String) -> QueryBuilder<Model>
    ) {
        self.title = title
        self.choices = choices
        self.of = of
        self.assign = assign
        self.filter = filter
    }
}

/// One option of an admin select.
public struct AdminChoice: Sendable, Equatable {
    /// The submitted value.
    public let id: String
    /// What people see.
    public let label: String

    /// An option.
    public init(id: String, label: String) {
        self.id = id
        self.label = label
    }
}

private enum Status: String, CaseIterable {
    case all, active, expired, revoked
    var label: String {
        switch self {
        case .all: "Every status"
        case .active: "Active"
        case .expired: "Expired"
        case .revoked: "Revoked"
        }
    }
}

/// Notices come as fixed codes in the query string, never as text to reflect.
private enum Notice {
    static func message(_ code: String) -> String? {
        switch code {
        case "saved": return "Saved."
        case "revoked": return "The API key was revoked."
        case "frozen": return "A revoked API key cannot be changed."
        case "deleted": return "The API key was deleted."
        default:
            guard code.hasPrefix("revoked-"), let count = Int(code.dropFirst("revoked-".count)), count >= 0 else { return nil }
            return count == 1 ? "Revoked 1 API key." : "Revoked \(count) API keys."
        }
    }
}

private struct ListQuery: Decodable {
    var q: String?
    var status: String?
    var owner: String?
    var page: Int?
}

protocol CSRFProtected { var csrf: String? { get } }

private struct CSRFForm: Decodable, CSRFProtected { var csrf: String? }

private struct KeyForm: Decodable, CSRFProtected {
    var csrf: String?
    var name: String?
    var expires: String?
    var revoked: String?
    var owner: String?
}

private struct BulkForm: Decodable, CSRFProtected {
    var csrf: String?
    var prefixes: [String]?
}

struct AdminInputError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// The one-time cookie that carries a new key from `create` to the page that shows it.
///
/// The key is never stored on the server, the redirect keeps a reload from creating a second
/// key, and the cookie is cleared by the page that shows it: a reload shows no key. It is named
/// after the key's prefix and sent only to that key's page, so two keys created in two tabs (or
/// in two panels) never shadow each other; it is HttpOnly, SameSite=Strict, `Secure` over HTTPS,
/// and a session cookie, never written to disk by the browser.
struct NewKeyCookie {
    let name: String
    let secure: Bool

    init(prefix: String, secure: Bool) {
        // `__Secure-` makes browsers refuse it unless it was set over HTTPS with `Secure`.
        self.name = (secure ? "__Secure-" : "") + "apikey_new_key_" + prefix
        self.secure = secure
    }

    func carrying(_ key: PlaintextAPIKey, path: String) -> HTTPCookies.Value {
        HTTPCookies.Value(string: key.reveal(), path: path, isSecure: secure, isHTTPOnly: true, sameSite: .strict)
    }

    func cleared(path: String) -> HTTPCookies.Value {
        HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: path, isSecure: secure, isHTTPOnly: true, sameSite: .strict)
    }
}

/// Whether the panel is served over HTTPS: by this server, or by a proxy in front of it that says
/// so. A client that claims HTTPS over plain HTTP only gets cookies its browser will not send back.
enum AdminTransport {
    static func isSecure(_ req: Request) -> Bool {
        req.application.http.server.configuration.tlsConfiguration != nil
            || req.headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
    }
}

/// CSRF protection for every form.
///
/// When the request has a session (the panel is behind a session sign-in, as it normally is),
/// the token is kept in the session and every form must repeat it: a cookie an attacker manages
/// to plant (from a sibling subdomain, or injected into plain HTTP) is never compared. Without a
/// session (say, behind HTTP basic authentication), it falls back to a double-submit cookie,
/// `__Host-` and `Secure` over HTTPS, which no other host can set.
enum CSRF {
    static let key = "apikey_admin_csrf"

    static func token(for req: Request) -> String {
        if req.hasSession {
            if let stored = req.session.data[key], stored.utf8.count == 64 { return stored }
            let minted = mint()
            req.session.data[key] = minted
            return minted
        }
        if let existing = req.cookies[cookieName(req)]?.string, existing.utf8.count == 64 { return existing }
        if let minted = req.storage[Minted.self] { return minted }
        let minted = mint()
        req.storage[Minted.self] = minted
        return minted
    }

    static func attach(to response: Response, for req: Request, path: String) {
        guard !req.hasSession, let minted = req.storage[Minted.self] else { return }
        let secure = AdminTransport.isSecure(req)
        response.cookies[cookieName(req)] = HTTPCookies.Value(
            string: minted, path: secure ? "/" : path, isSecure: secure, isHTTPOnly: true, sameSite: .strict)
    }

    static func verify(_ submitted: String?, for req: Request) throws {
        let expected = req.hasSession ? req.session.data[key] : req.cookies[cookieName(req)]?.string
        guard let expected, expected.utf8.count == 64, let submitted,
            ConstantTime.equals(submitted.utf8, expected.utf8)
        else { throw Abort(.forbidden, reason: "The form has expired. Reload the page and try again.") }
    }

    /// `__Host-` cookies must be `Secure`, have the path `/` and no domain.
    private static func cookieName(_ req: Request) -> String {
        AdminTransport.isSecure(req) ? "__Host-" + key : key
    }

    private static func mint() -> String {
        (0..<32).map { _ in String(format: "%02x", UInt8.random(in: .min ... .max)) }.joined()
    }

    private enum Minted: StorageKey { typealias Value = String }
}

/// Templates compiled into the library.
struct EmbeddedTemplates: LeafSource {
    func file(template: String, escape: Bool, on eventLoop: any EventLoop) throws -> EventLoopFuture<ByteBuffer> {
        let name = template.split(separator: "/").last.map { String($0).replacingOccurrences(of: ".leaf", with: "") } ?? template
        guard let text = AdminTemplates.all[name] else { return eventLoop.makeFailedFuture(LeafError(.noTemplateExists(template))) }
        return eventLoop.makeSucceededFuture(ByteBuffer(string: text))
    }
}

extension Request {
    /// The database the admin panel works on: the one configured for API keys.
    var apiKeyAdminDatabase: any Database { db(application.apiKeys.database) }
}
