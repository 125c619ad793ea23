public import APIKeyFluent
import APIKeyCore
import FluentKit
import FluentSQL
import Foundation
import LeafKit
import NIOCore
import NIOPosix
import SQLKit

/// The API key admin panel, for any framework: list (newest first, paginated, searchable by
/// name or prefix, filtered by status), bulk revoke, create (the key is shown once), edit name and
/// expiry, revoke, delete. Server-rendered HTML that works without JavaScript, with every value
/// escaped and every form protected by a CSRF token. Framework glue turns a request into an
/// ``AdminRequest`` and the ``AdminResponse`` back (Vapor: `APIKeyAdmin`; Hummingbird:
/// `APIKeyAdminController`).
///
/// It does no authentication of its own: mount it behind yours.
///
/// ```swift
/// let panel = AdminPanel(APIKey.self, root: "/admin")
/// let response = await panel.respond(to: request, manager: keys)
/// ```
public struct AdminPanel<Model: APIKeyModel>: Sendable {
    /// The panel's heading.
    public let title: String
    /// Keys per page.
    public var pageSize = 25
    /// The header's links and sign-out button.
    public var navigation = AdminNavigation()
    /// What every link starts with: `/admin`, or nothing when the panel is mounted at the root.
    public let root: String
    let owner: APIKeyAdminOwner<Model>?

    /// A panel for `model` keys whose pages are under `root/keys`.
    ///
    /// - Parameters:
    ///   - model: The key model.
    ///   - root: The panel's path from the server's root, e.g. `/admin`; `""` or `/` for the root.
    ///   - title: The heading.
    ///   - owner: For custom models: the owner column, filter and create-form choice.
    public init(_ model: Model.Type, root: String, title: String = "API keys", owner: APIKeyAdminOwner<Model>? = nil) {
        let components = root.split(separator: "/").map(String.init)
        self.root = components.isEmpty ? "" : "/" + components.joined(separator: "/")
        self.title = title
        self.owner = owner
    }

    /// Pages load nothing but their inline style and the panel's one same-origin script: no
    /// inline script runs, whoever manages to inject markup.
    static var contentSecurityPolicy: String {
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; form-action 'self'; frame-ancestors 'none'"
    }

    /// The header's sections: the app's, or the panel's own list.
    private var sections: [AdminLink] {
        navigation.sections.isEmpty ? [AdminLink(title, root + "/keys")] : navigation.sections
    }

    /// The panel's cookie path: its root, or `/`.
    var cookiePath: String { root.isEmpty ? "/" : root }

    /// Answers one request: a page, a redirect, or a 4xx with a message. Errors of the key
    /// store are thrown for the glue to answer as it answers them elsewhere (503).
    public func respond(to request: AdminRequest, manager: APIKeyManager<Model>) async throws -> AdminResponse {
        let exchange = Exchange<Model>(request: request, manager: manager)
        do {
            let path = request.path.filter { !$0.isEmpty }
            guard path.first == "keys" else { return try await messagePage(exchange, status: 404, heading: "Not found", "There is no admin page here.") }
            let rest = Array(path.dropFirst())
            switch (request.method, rest.count) {
            case (.get, 0): return try await list(exchange)
            case (.post, 0): return try await create(exchange)
            case (.get, 1) where rest[0] == "new": return try await renderNewForm(exchange, name: "", expires: "", owner: nil, error: nil)
            case (.get, 2) where rest == ["_assets", "admin.js"]: return .script(AdminScript.text)
            case (.post, 1) where rest[0] == "revoke": return try await revokeSelected(exchange)
            case (.get, 1): return try await detail(exchange, rest[0])
            case (.post, 1): return try await update(exchange, rest[0])
            case (.get, 2) where rest[1] == "revoke": return try await confirm(.revoke, exchange, rest[0])
            case (.post, 2) where rest[1] == "revoke": return try await revoke(exchange, rest[0])
            case (.get, 2) where rest[1] == "delete": return try await confirm(.delete, exchange, rest[0])
            case (.post, 2) where rest[1] == "delete": return try await delete(exchange, rest[0])
            default: return try await messagePage(exchange, status: 404, heading: "Not found", "There is no admin page here.")
            }
        } catch let error as AdminInputError {
            return try await messagePage(exchange, status: 400, heading: "This request cannot be used", error.message)
        } catch is CSRFRejection {
            return try await messagePage(
                exchange, status: 403, heading: "The form has expired",
                "The page was open too long, or was opened in another session. Go back, reload the page and try again.")
        } catch is UnknownKey {
            return try await messagePage(exchange, status: 404, heading: "No such API key", "No API key has this prefix. It may have been deleted.")
        } catch is UnreadableKey {
            return try await messagePage(
                exchange, status: 409, heading: "This API key cannot be shown",
                "Its row holds a value of the wrong kind, such as an expiry that is not a date. Requests with this key are refused. "
                    + "Repair the row in the database, or revoke the key with the command line.")
        } catch APIKeyManagerError.stillReferenced {
            return try await messagePage(exchange, status: 409, heading: "This API key cannot be deleted", APIKeyManagerError.stillReferenced.description)
        }
    }

    /// A refusal as an admin page, with the panel's header and a way back to the list.
    private func messagePage(_ exchange: Exchange<Model>, status: Int, heading: String, _ message: String) async throws -> AdminResponse {
        var context = baseContext(exchange, pageTitle: heading)
        context["heading"] = .string(heading)
        context["message"] = .string(message)
        return try await render("message", context, exchange, status: status)
    }

    // MARK: Pages

    private func list(_ exchange: Exchange<Model>) async throws -> AdminResponse {
        let query = exchange.request.query
        let rawSearch = (query["q"] ?? "").trimmingCharacters(in: .whitespaces).prefix(100)
        // A NUL byte makes PostgreSQL refuse the query; no name or prefix holds a control character.
        let searchIsValid = !rawSearch.unicodeScalars.contains { $0.properties.generalCategory == .control }
        let search = searchIsValid ? rawSearch : ""
        let status = Status(rawValue: query["status"] ?? "") ?? .all
        let ownerFilter = query["owner"].flatMap { $0.isEmpty ? nil : $0 }
        let now = Date()
        let database = exchange.manager.database

        let filtered = Model.query(on: database)
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
        let page = min(max(query["page"].flatMap { Int($0) } ?? 1, 1), pageCount)
        let (models, unreadable) = try await filtered.sort(Model.createdAtKey, .descending)
            .range(((page - 1) * pageSize)..<(page * pageSize)).readableKeys()
        let choices = try await owner?.choices(database) ?? []

        func link(_ page: Int) -> String {
            var components = URLComponents()
            components.queryItems = [
                .init(name: "q", value: String(search)), .init(name: "status", value: status.rawValue),
                .init(name: "owner", value: ownerFilter ?? ""), .init(name: "page", value: String(page)),
            ]
            return root + "/keys" + (components.string ?? "")
        }
        var context = baseContext(exchange, pageTitle: title)
        let unusable = try await unusablePrefixes(among: models, on: database)
        context["keys"] = .array(models.map { row($0, now: now, choices: choices, unusable: unusable.contains($0.prefix)) })
        context["empty"] = .bool(models.isEmpty)
        context["q"] = .string(String(search))
        context["statuses"] = .array(Status.allCases.map { option($0.rawValue, $0.label, selected: $0 == status) })
        context["owners"] = .array(choices.map { option($0.id, $0.label, selected: $0.id == ownerFilter) })
        context["page"] = .int(page)
        context["pageCount"] = .int(pageCount)
        context["total"] = .int(total)
        context["totalText"] = .string(total == 1 ? "1 key" : "\(total) keys")
        context["hasPrevious"] = .bool(page > 1)
        context["previousPage"] = .string(link(page - 1))
        context["hasNext"] = .bool(page < pageCount)
        context["nextPage"] = .string(link(page + 1))
        guard searchIsValid else {
            context["hasError"] = .bool(true)
            context["error"] = .string("The search cannot contain control characters (such as a NUL byte or a line break): enter part of a name or a prefix.")
            return try await render("list", context, exchange, status: 400)
        }
        if !unreadable.isEmpty {
            context["hasError"] = .bool(true)
            context["error"] = .string(Self.unreadableMessage(unreadable))
        }
        return try await render("list", context, exchange)
    }

    private func create(_ exchange: Exchange<Model>) async throws -> AdminResponse {
        let form = try exchange.checkedForm()
        let name = form["name"] ?? ""
        let expires = form["expires"] ?? ""
        // A refusal shows the form again as it was typed, with the message next to its field.
        let refuse = { (field: FieldError.Field, message: String) in
            try await renderNewForm(exchange, name: name, expires: expires, owner: form["owner"], error: FieldError(field, message), status: 400)
        }
        let expiresAt: Date?
        do {
            expiresAt = try Self.expiry(form["expires"])
            try APIKeyManager<Model>.validate(newExpiry: expiresAt, now: Date())
        } catch let error as AdminInputError {
            return try await refuse(.expires, error.message)
        } catch let error as APIKeyManagerError {
            return try await refuse(.expires, error.description)
        }
        let ownerID = form["owner"] ?? ""
        if let owner {
            let choices = try await owner.choices(exchange.manager.database)
            guard choices.contains(where: { $0.id == ownerID }) else { return try await refuse(.owner, "Choose a valid \(owner.title).") }
        }
        do {
            let (record, key) = try await exchange.manager.createKey(name: name, expiresAt: expiresAt, revoked: form["revoked"] == "on") { model in
                owner?.assign(model, ownerID)
            }
            var response = AdminResponse.redirect(to: root + "/keys/" + record.prefix)
            let cookie = NewKeyCookie(prefix: record.prefix, secure: exchange.request.isSecure)
            response.cookies.append(cookie.carrying(key, path: root + "/keys/" + record.prefix))
            return response
        } catch APIKeyManagerError.invalidName(let message) {
            return try await refuse(.name, message)
        }
    }

    private func detail(_ exchange: Exchange<Model>, _ prefix: String) async throws -> AdminResponse {
        let key = try await find(exchange, prefix)
        var context = baseContext(exchange, pageTitle: key.prefix)
        let unusable = try await unusablePrefixes(among: [key], on: exchange.manager.database).contains(key.prefix)
        context["key"] = row(key, now: Date(), choices: try await owner?.choices(exchange.manager.database) ?? [], unusable: unusable)
        context["formName"] = .string(key.name)
        context["formExpires"] = .string(DateInput.field(key.effectiveExpiry))
        // The new key, once: it came in a cookie set by `create` for this key alone, cleared here.
        let cookie = NewKeyCookie(prefix: key.prefix, secure: exchange.request.isSecure)
        let newKey = exchange.request.cookies[cookie.name].flatMap { value in value.hasPrefix(key.prefix + ".") ? value : nil }
        context["hasNewKey"] = .bool(newKey != nil)
        context["newKey"] = .string(newKey ?? "")
        var response = try await render("detail", context, exchange)
        if exchange.request.cookies[cookie.name] != nil { response.cookies.append(cookie.cleared(path: root + "/keys/" + key.prefix)) }
        response.headers.append(("Cache-Control", "no-store"))
        return response
    }

    private func update(_ exchange: Exchange<Model>, _ prefix: String) async throws -> AdminResponse {
        let form = try exchange.checkedForm()
        let key = try await find(exchange, prefix)
        // Once revoked, a key is frozen: upstream's admin makes every field read-only.
        guard !key.isRevoked else { return .redirect(to: root + "/keys/" + key.prefix + "?notice=frozen") }
        let (name, expires) = (form["name"] ?? "", form["expires"] ?? "")
        let refuse = { (field: FieldError.Field, message: String) in
            try await renderDetailError(exchange, key, name: name, expires: expires, error: FieldError(field, message))
        }
        let expiresAt: Date?
        do {
            expiresAt = try Self.expiry(expires)
        } catch {
            return try await refuse(.expires, error.message)
        }
        // The form shows the expiry to the second: an unchanged field keeps the stored fraction
        // of a second, so that editing only the name does not move the expiry.
        if DateInput.field(expiresAt) != DateInput.field(key.effectiveExpiry) { key.expiresAt = expiresAt }
        key.name = name
        do {
            try await exchange.manager.update(key)
            return .redirect(to: root + "/keys/" + key.prefix + "?notice=saved")
        } catch APIKeyManagerError.invalidName(let message) {
            return try await refuse(.name, message)
        }
    }

    private func revoke(_ exchange: Exchange<Model>, _ prefix: String) async throws -> AdminResponse {
        _ = try exchange.checkedForm()
        let key = try await find(exchange, prefix)
        try await exchange.manager.revoke(key)
        return .redirect(to: root + "/keys/" + key.prefix + "?notice=revoked")
    }

    /// Revoking cannot be undone, so the list's "Revoke selected" first shows the keys it would
    /// revoke, as Django's admin does for its actions; the page's own form carries `confirm`.
    private func revokeSelected(_ exchange: Exchange<Model>) async throws -> AdminResponse {
        let form = try exchange.checkedForm()
        let prefixes = Array(Set(form.values("prefixes"))).filter { $0.utf8.count <= 64 && APIKeyManager<Model>.isStorable($0) }.sorted()
        guard !prefixes.isEmpty else { return .redirect(to: root + "/keys?notice=none-selected") }
        guard form["confirm"] == "yes" else {
            let keys = try await Model.query(on: exchange.manager.database).filter(Model.prefixField ~~ prefixes)
                .filter(Model.revokedField == false).sort(Model.createdAtKey, .descending).all()
            guard !keys.isEmpty else { return .redirect(to: root + "/keys?notice=revoked-0") }
            let choices = try await owner?.choices(exchange.manager.database) ?? []
            var context = baseContext(exchange, pageTitle: "Revoke API keys")
            context["keys"] = .array(keys.map { row($0, now: Date(), choices: choices) })
            let one = keys.count == 1
            context["heading"] = .string(one ? "Revoke 1 API key?" : "Revoke \(keys.count) API keys?")
            context["lead"] = .string(
                one ? "This key will be revoked. Clients using it will be refused. This cannot be undone."
                    : "These keys will be revoked. Clients using them will be refused. This cannot be undone.")
            context["confirm"] = .string(one ? "Yes, revoke it" : "Yes, revoke them")
            return try await render("revokeSelected", context, exchange)
        }
        try await exchange.manager.revoke(prefixes: prefixes)
        return .redirect(to: root + "/keys?notice=revoked-\(prefixes.count)")
    }

    /// What a key's page can do for good, after asking.
    private enum FinalAction: String { case revoke, delete }

    /// The question before revoking or deleting a key: neither can be undone.
    private func confirm(_ action: FinalAction, _ exchange: Exchange<Model>, _ prefix: String) async throws -> AdminResponse {
        let key = try await find(exchange, prefix)
        if action == .revoke, key.isRevoked { return .redirect(to: root + "/keys/" + key.prefix + "?notice=frozen") }
        let verb = action == .revoke ? "Revoke" : "Delete"
        var context = baseContext(exchange, pageTitle: verb + " " + key.prefix)
        context["key"] = row(key, now: Date(), choices: try await owner?.choices(exchange.manager.database) ?? [])
        context["verb"] = .string(verb)
        context["action"] = .string(action.rawValue)
        context["past"] = .string(action == .revoke ? "revoked" : "deleted")
        context["consequence"] = .string(action == .revoke ? "This cannot be undone: a revoked key stays revoked." : "This cannot be undone.")
        return try await render("confirm", context, exchange)
    }

    private func delete(_ exchange: Exchange<Model>, _ prefix: String) async throws -> AdminResponse {
        _ = try exchange.checkedForm()
        let key = try await find(exchange, prefix)
        try await exchange.manager.delete(key)
        return .redirect(to: root + "/keys?notice=deleted")
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

    private func find(_ exchange: Exchange<Model>, _ prefix: String) async throws -> Model {
        let found: Model?
        do {
            found = try await exchange.manager.model(prefix: prefix)
        } catch FluentError.invalidField {
            throw UnreadableKey()
        }
        guard let key = found else { throw UnknownKey() }
        return key
    }

    /// Why some keys are missing from a listing: their rows cannot be read.
    static func unreadableMessage(_ prefixes: [String]) -> String {
        let keys = prefixes.count == 1 ? "The row of the key \(prefixes[0]) cannot" : "The rows of the keys \(prefixes.joined(separator: ", ")) cannot"
        return keys + " be read: a column holds a value of the wrong kind, such as an expiry that is not a date. "
            + "Requests with such a key are refused. Repair the row in the database, or revoke the key with the command line."
    }

    private func renderNewForm(
        _ exchange: Exchange<Model>, name: String, expires: String, owner selected: String?, error: FieldError?, status: Int = 200
    ) async throws -> AdminResponse {
        var context = baseContext(exchange, pageTitle: "Add API key").merging(error.context) { $1 }
        context["name"] = .string(name)
        context["expires"] = .string(expires)
        context["owners"] = .array((try await owner?.choices(exchange.manager.database) ?? []).map { option($0.id, $0.label, selected: $0.id == selected) })
        return try await render("new", context, exchange, status: status)
    }

    private func renderDetailError(_ exchange: Exchange<Model>, _ key: Model, name: String, expires: String, error: FieldError) async throws -> AdminResponse {
        var context = baseContext(exchange, pageTitle: key.prefix).merging(Optional(error).context) { $1 }
        let unusable = try await unusablePrefixes(among: [key], on: exchange.manager.database).contains(key.prefix)
        context["key"] = row(key, now: Date(), choices: try await owner?.choices(exchange.manager.database) ?? [], unusable: unusable)
        context["formName"] = .string(name)
        context["formExpires"] = .string(expires)
        context["hasNewKey"] = .bool(false)
        context["newKey"] = .string("")
        return try await render("detail", context, exchange, status: 400)
    }

    private func baseContext(_ exchange: Exchange<Model>, pageTitle: String) -> [String: LeafData] {
        let notice = exchange.request.query["notice"].flatMap(Notice.message)
        return [
            "title": .string(title), "pageTitle": .string(pageTitle), "root": .string(root),
            "csrf": .string(exchange.csrfToken()),
            "hasOwner": .bool(owner != nil), "ownerTitle": .string(owner?.title ?? ""),
            "hasNotice": .bool(notice != nil), "notice": .string(notice ?? ""),
            "hasError": .bool(false), "error": .string(""),
            "sections": .array(sections.map { link in
                .dictionary(["title": .string(link.title), "path": .string(link.path), "current": .bool(link.path == root + "/keys")])
            }),
            "hasUser": .bool(exchange.request.signedInAs != nil), "user": .string(exchange.request.signedInAs ?? ""),
            "hasSignOut": .bool(navigation.signOutPath != nil), "signOutPath": .string(navigation.signOutPath ?? ""),
        ]
    }

    /// The prefixes among `models` that the model's ``APIKeyModel/usableKeys(_:)`` rule refuses
    /// (say, an inactive owner's): one query for the page, none for a model without a rule.
    private func unusablePrefixes(among models: [Model], on database: any Database) async throws -> Set<String> {
        guard !models.isEmpty, Model.hasUsabilityRule(on: database) else { return [] }
        let prefixes = models.map(\.prefix)
        let usable = try await Model.usableKeys(Model.query(on: database)).filter(Model.prefixField ~~ prefixes).all()
        return Set(prefixes).subtracting(usable.map(\.prefix))
    }

    /// Why a key the rule refuses cannot be used, for people.
    private var unusableReason: String {
        owner.map { "Its \($0.title.lowercased()) cannot use API keys." } ?? "The key model's usableKeys rule refuses it."
    }

    private func row(_ key: Model, now: Date, choices: [AdminChoice], unusable: Bool = false) -> LeafData {
        let ownerID = owner?.of(key)
        // As they count: PostgreSQL's `infinity` is "never", `-infinity` long expired.
        let (createdAt, expiresAt) = (key.effectiveCreation, key.effectiveExpiry)
        return .dictionary([
            "unusable": .bool(unusable && !key.isRevoked), "unusableReason": .string(unusableReason),
            "prefix": .string(key.prefix), "name": .string(key.name),
            "createdExact": .string(DateInput.exact(createdAt)), "expiresExact": .string(DateInput.exact(expiresAt)),
            "createdRelative": .string(createdAt.map { DateInput.relative($0, now: now) } ?? "—"),
            "expiresRelative": .string(expiresAt.map { DateInput.relative($0, now: now) } ?? "never"),
            "createdISO": .string(createdAt.map { $0.formatted(.iso8601) } ?? ""),
            "expiresISO": .string(expiresAt.map { $0.formatted(.iso8601) } ?? ""),
            "hasExpired": .bool(key.hasEffectivelyExpired(at: now)), "revoked": .bool(key.isRevoked),
            "owner": .string(choices.first { $0.id == ownerID }?.label ?? ownerID ?? ""),
        ])
    }

    private func option(_ value: String, _ label: String, selected: Bool) -> LeafData {
        .dictionary(["value": .string(value), "label": .string(label), "selected": .bool(selected)])
    }

    private func render(_ template: String, _ context: [String: LeafData], _ exchange: Exchange<Model>, status: Int = 200) async throws -> AdminResponse {
        let renderer = LeafRenderer(
            configuration: LeafConfiguration(rootDirectory: "/"), sources: .singleSource(EmbeddedTemplates()),
            eventLoop: MultiThreadedEventLoopGroup.singleton.any())
        let body = try await renderer.render(path: template, context: context).get()
        var response = AdminResponse(
            status: status,
            headers: [
                ("Content-Type", "text/html; charset=utf-8"), ("X-Frame-Options", "DENY"),
                ("Content-Security-Policy", Self.contentSecurityPolicy),
                ("Referrer-Policy", "same-origin"),
            ],
            body: String(buffer: body), cookies: [])
        if let cookie = exchange.mintedCSRFCookie(path: cookiePath) { response.cookies.append(cookie) }
        return response
    }
}

/// A form's refusal, shown next to the field it is about, with a banner that points there.
struct FieldError {
    enum Field: String { case name, expires, owner }
    let field: Field
    let message: String

    init(_ field: Field, _ message: String) {
        self.field = field
        self.message = message
    }
}

extension FieldError? {
    /// `hasError` and `error` for the banner; `nameError`, `hasNameError` and so on per field.
    var context: [String: LeafData] {
        var context: [String: LeafData] = ["hasError": .bool(self != nil), "error": .string(self == nil ? "" : "Please correct the error below.")]
        for field in [FieldError.Field.name, .expires, .owner] {
            let capitalized = field.rawValue.prefix(1).uppercased() + field.rawValue.dropFirst()
            let message = self?.field == field ? self?.message : nil
            context["has\(capitalized)Error"] = .bool(message != nil)
            context["\(field.rawValue)Error"] = .string(message ?? "")
        }
        return context
    }
}
