import APIKeyFluent
import Foundation
import LeafKit
import NIOCore
import NIOPosix

extension AdminPanel {
    /// What every page shows: the header, the notice, the CSRF token.
    func baseContext(_ exchange: Exchange<Model>, pageTitle: String) -> [String: LeafData] {
        let root = exchange.request.root
        let notice = exchange.request.query["notice"].flatMap(AdminNotice.message)
        // The header's sections: the app's, or the panel's own list.
        let sections = navigation.sections.isEmpty ? [AdminLink(title, root + "/keys")] : navigation.sections
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
            "lifetimeHint": .string(Self.lifetimeHint(exchange.manager.lifetime)),
            "showsEvents": .bool(Self.showsEvents(exchange)),
        ]
    }

    /// What an empty expiry field means, and the longest a key may live.
    static func lifetimeHint(_ policy: APIKeyLifetimePolicy) -> String {
        let longest = policy.maximum.map { " Keys live at most \(APIKeyLifetimePolicy.describe($0))." } ?? ""
        if let lifetime = policy.defaultLifetime ?? policy.maximum {
            return "Leave empty for the app's default: \(APIKeyLifetimePolicy.describe(lifetime)) from now." + longest
        }
        return "Leave empty for never."
    }

    /// A refusal as an admin page, with the panel's header and a way back to the list.
    func messagePage(_ exchange: Exchange<Model>, status: Int, heading: String, _ message: String) async throws -> AdminResponse {
        var context = baseContext(exchange, pageTitle: heading)
        context["heading"] = .string(heading)
        context["message"] = .string(message)
        return try await render("message", context, exchange, status: status)
    }

    /// One key as a table row or a page shows it.
    func row(of key: Model, _ exchange: Exchange<Model>, lastUsedAt: Date? = nil) async throws -> LeafData {
        let unusable = try await exchange.manager.unusablePrefixes(among: [key]).contains(key.prefix)
        let summary = APIKeySummary(key, unusable: unusable, lastUsedAt: lastUsedAt, at: exchange.manager.now())
        return row(summary, of: key, choices: try await owner?.choices(exchange.manager.database) ?? [], now: exchange.manager.now())
    }

    /// One key as a table row or a page shows it, from its summary.
    func row(_ summary: APIKeySummary, of key: Model, choices: [AdminChoice], now: Date) -> LeafData {
        let ownerID = owner?.of(key)
        // Why a key the rule refuses cannot be used, for people.
        let unusableReason = owner.map { "Its \($0.title.lowercased()) cannot use API keys." } ?? "The key model's usableKeys rule refuses it."
        var fields: [String: LeafData] = [
            "unusable": .bool(summary.status == "unusable"), "unusableReason": .string(unusableReason),
            "prefix": .string(summary.prefix), "name": .string(summary.name),
            "createdExact": .string(DateInput.exact(summary.createdAt)), "expiresExact": .string(DateInput.exact(summary.expiresAt)),
            "createdRelative": .string(summary.createdAt.map { DateInput.relative($0, now: now) } ?? "—"),
            "expiresRelative": .string(summary.expiresAt.map { DateInput.relative($0, now: now) } ?? "never"),
            "createdISO": .string(summary.createdAt.map { $0.formatted(.iso8601) } ?? ""),
            "expiresISO": .string(summary.expiresAt.map { $0.formatted(.iso8601) } ?? ""),
            "hasExpired": .bool(summary.expired), "revoked": .bool(summary.revoked),
            "owner": .string(choices.first { $0.id == ownerID }?.label ?? ownerID ?? ""),
            "suspended": .bool(summary.suspended),
            "scopes": .string(summary.scopes.joined(separator: " ")),
            "allowedIPs": .string(summary.allowedIPs.isEmpty ? "anywhere" : summary.allowedIPs.joined(separator: ", ")),
            "metadata": .string(summary.metadata.isEmpty ? "" : summary.metadata.json),
        ]
        fields["lastUsedExact"] = .string(DateInput.exact(summary.lastUsedAt))
        fields["lastUsedRelative"] = .string(summary.lastUsedAt.map { DateInput.relative($0, now: now) } ?? "never")
        fields["lastUsedISO"] = .string(summary.lastUsedAt.map { $0.formatted(.iso8601) } ?? "")
        fields["rotatedFrom"] = .string(summary.rotatedFrom ?? "")
        fields["replacedBy"] = .string(summary.replacedBy ?? "")
        fields["isReplacement"] = .bool(summary.rotatedFrom != nil)
        fields["isReplaced"] = .bool(summary.replacedBy != nil)
        // Rotation makes a key like this one: only for a key that works now and was not rotated.
        fields["canRotate"] = .bool(Model.isRotatable && summary.status == "active" && summary.replacedBy == nil)
        return .dictionary(fields)
    }

    func option(_ value: String, _ label: String, selected: Bool) -> LeafData {
        .dictionary(["value": .string(value), "label": .string(label), "selected": .bool(selected)])
    }

    /// A page, with the panel's security headers, and the CSRF cookie if one was minted.
    func render(_ template: String, _ context: [String: LeafData], _ exchange: Exchange<Model>, status: Int = 200) async throws -> AdminResponse {
        // A renderer is cheap and belongs to one request; the parsed templates are shared.
        let renderer = LeafRenderer(
            configuration: LeafConfiguration(rootDirectory: "/"), cache: AdminTemplates.cache, sources: .singleSource(EmbeddedTemplates()),
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
        let root = exchange.request.root
        if let cookie = exchange.mintedCSRFCookie(path: root.isEmpty ? "/" : root) { response.cookies.append(cookie) }
        return response
    }
}

/// A form's refusal, shown next to the field it is about, with a banner that points there.
struct FieldError: Error {
    enum Field: String, CaseIterable { case name, expires, owner, scopes, allowedIPs, metadata, rateLimit }
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
        for field in FieldError.Field.allCases {
            let capitalized = field.rawValue.prefix(1).uppercased() + field.rawValue.dropFirst()
            let message = self?.field == field ? self?.message : nil
            context["has\(capitalized)Error"] = .bool(message != nil)
            context["\(field.rawValue)Error"] = .string(message ?? "")
        }
        return context
    }
}
