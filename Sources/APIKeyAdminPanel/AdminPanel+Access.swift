import APIKeyCore
import APIKeyFluent
import FluentKit
import Foundation
import LeafKit

/// Scopes, suspension, allowlists and metadata in the panel: the form fields, what they read
/// back, and the suspend and resume actions (one key at once; several after a question).
extension AdminPanel {
    /// Whether the panel's model keeps scopes, suspension, allowlists and metadata.
    var hasAccess: Bool { Model.isAccessControlled }

    /// What the forms show of a key's access fields (or of what was typed).
    struct AccessForm {
        var scopes: [String] = []
        var allowedIPs = ""
        var metadata = ""
        /// The key's own rate limit as typed; empty for the app's default.
        var rateLimit = ""

        init() {}

        init(_ key: Model) {
            let access = key.access
            scopes = access.scopes.names
            allowedIPs = access.allowedIPs.joined(separator: "\n")
            metadata = access.metadata.isEmpty ? "" : access.metadata.json
            rateLimit = (key as? any RateLimitedAPIKeyModel)?.rateLimit ?? ""
        }

        /// What a submitted form holds: the ticked scopes, the allowlist, the metadata and the
        /// rate limit as typed.
        init(_ form: AdminForm) {
            scopes = form.values("scopes")
            allowedIPs = form["allowed_ips"] ?? ""
            metadata = form["metadata"] ?? ""
            rateLimit = form["rate_limit"] ?? ""
        }

        /// The rate limit, or `nil` when the field is empty (or `none`).
        func parsedRateLimit() throws(APIKeyFieldError) -> RateLimit? {
            let text = rateLimit.trimmingCharacters(in: .whitespaces)
            return text.isEmpty || text.lowercased() == "none" ? nil : try RateLimit(parsing: text)
        }

        /// The allowlist's entries: one per line (or separated by commas), blanks skipped.
        var allowedIPEntries: [String] {
            // `isNewline`: a browser sends a textarea's lines with CR LF, one Character in Swift.
            allowedIPs.split(whereSeparator: { $0.isNewline || $0 == "," })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        /// The metadata, or `nil` when the field is empty.
        func parsedMetadata() throws(APIKeyFieldError) -> APIKeyMetadata? {
            let text = metadata.trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : try APIKeyMetadata(json: text)
        }
    }

    /// The template values of the access fields: the declared scopes as checkboxes, ticked as
    /// `form` says (and any stored scope the app no longer declares, so that saving is a choice).
    func accessContext(_ form: AccessForm, _ exchange: Exchange<Model>) -> [String: LeafData] {
        let declared = exchange.manager.service.settings.scopes.names
        let undeclared = form.scopes.filter { !declared.contains($0) }
        return [
            "hasAccess": .bool(hasAccess),
            "hasScopes": .bool(!declared.isEmpty),
            "scopeChoices": .array(declared.map { name in
                .dictionary(["value": .string(name), "checked": .bool(form.scopes.contains(name)), "id": .string("scope-" + name.map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined())])
            }),
            "hasUndeclaredScopes": .bool(!undeclared.isEmpty),
            "undeclaredScopes": .string(undeclared.joined(separator: ", ")),
            "formAllowedIPs": .string(form.allowedIPs),
            "formMetadata": .string(form.metadata),
            "hasRateLimit": .bool(Model.self is any RateLimitedAPIKeyModel.Type),
            "formRateLimit": .string(form.rateLimit),
            "defaultRateLimit": .string(exchange.manager.service.settings.defaultRateLimit(for: Model.self)?.description ?? "none"),
        ]
    }

    /// Sets the access fields of `key` from `form`.
    ///
    /// - Throws: a ``FieldError`` for the field that cannot be used.
    func apply(_ form: AccessForm, to key: Model) throws(FieldError) {
        if let rated = key as? any RateLimitedAPIKeyModel {
            do {
                rated.rateLimit = try form.parsedRateLimit()?.description
            } catch {
                throw FieldError(.rateLimit, error.description)
            }
        }
        guard let limited = key as? any AccessControlledAPIKeyModel else { return }
        limited.scopes = form.scopes
        limited.allowedIPs = form.allowedIPEntries
        do {
            limited.metadata = try form.parsedMetadata()
        } catch {
            throw FieldError(.metadata, error.description)
        }
    }

    /// Suspends or resumes one key, from its page: reversible, so no question first.
    func setSuspended(_ suspended: Bool, _ exchange: Exchange<Model>, _ prefix: String) async throws -> AdminResponse {
        _ = try exchange.checkedForm()
        let key = try await find(exchange, prefix)
        let page = exchange.request.root + "/keys/" + key.prefix
        guard !key.isRevoked else { return .redirect(to: page + "?notice=frozen") }
        if suspended {
            try await exchange.manager.suspend(prefixes: [key.prefix])
        } else {
            try await exchange.manager.resume(prefixes: [key.prefix])
        }
        return .redirect(to: page + "?notice=" + (suspended ? "suspended" : "resumed"))
    }

    /// The list's "Suspend selected" and "Resume selected": the keys first, then the change.
    func setSuspendedSelected(_ suspended: Bool, _ exchange: Exchange<Model>) async throws -> AdminResponse {
        let form = try exchange.checkedForm()
        let root = exchange.request.root
        let (verb, past) = suspended ? ("suspend", "suspended") : ("resume", "resumed")
        let prefixes = Array(Set(form.values("prefixes"))).filter { $0.utf8.count <= 64 && APIKeyManager<Model>.isStorable($0) }.sorted()
        guard !prefixes.isEmpty else { return .redirect(to: root + "/keys?notice=none-selected-" + verb) }
        // Revoked keys stay as they are: they are left out of the question and of the change.
        let keys = try await Model.query(on: exchange.manager.database).filter(prefixes: prefixes)
            .filter(revoked: false).sort(Model.createdAtKey, .descending).all()
        guard !keys.isEmpty else { return .redirect(to: root + "/keys?notice=\(past)-0") }
        guard form["confirm"] == "yes" else {
            let choices = try await owner?.choices(exchange.manager.database) ?? []
            let now = exchange.manager.now()
            var context = baseContext(exchange, pageTitle: suspended ? "Suspend API keys" : "Resume API keys")
            context["keys"] = .array(keys.map { row(APIKeySummary($0, at: now), of: $0, choices: choices, now: now) })
            let one = keys.count == 1
            let noun = one ? "1 API key" : "\(keys.count) API keys"
            context["heading"] = .string(suspended ? "Suspend \(noun)?" : "Resume \(noun)?")
            context["lead"] = .string(
                suspended
                    ? (one ? "Clients using this key will be refused until it is resumed." : "Clients using these keys will be refused until they are resumed.")
                    : (one ? "Clients will be able to use this key again." : "Clients will be able to use these keys again."))
            context["action"] = .string(verb)
            context["confirm"] = .string(suspended ? (one ? "Yes, suspend it" : "Yes, suspend them") : (one ? "Yes, resume it" : "Yes, resume them"))
            context["danger"] = .bool(suspended)
            return try await render("bulkAction", context, exchange)
        }
        let chosen = keys.map(\.prefix)
        if suspended {
            try await exchange.manager.suspend(prefixes: chosen)
        } else {
            try await exchange.manager.resume(prefixes: chosen)
        }
        return .redirect(to: root + "/keys?notice=\(past)-\(chosen.count)")
    }
}

extension FieldError.Field {
    /// The form field of a manager's refused field.
    init(_ field: APIKeyFieldError.Field?) {
        switch field {
        case .scopes?: self = .scopes
        case .allowedIPs?: self = .allowedIPs
        case .rateLimit?: self = .rateLimit
        default: self = .metadata
        }
    }
}
