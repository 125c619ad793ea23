import APIKeyCore
import APIKeyFluent
import Foundation
import LeafKit

extension AdminPanel {
    /// A key's page: its fields, the edit form, and the new key once, just after it was made.
    func keyPage(_ exchange: Exchange<Model>, _ prefix: String) async throws -> AdminResponse {
        let key = try await find(exchange, prefix)
        var context = baseContext(exchange, pageTitle: key.prefix)
        // Usage, when the app keeps it and its tables can be read: the page works without.
        let usage = exchange.manager.service.settings.usage == nil ? nil : try? await exchange.manager.usage(of: key.prefix, days: 30)
        context["key"] = try await row(of: key, exchange, lastUsedAt: usage?.lastUsedAt)
        context["hasUsage"] = .bool(usage != nil)
        if let usage { context.merge(AdminUsageChart.context(usage)) { $1 } }
        context["formName"] = .string(key.name)
        context["formExpires"] = .string(DateInput.field(key.effectiveExpiry))
        context.merge(accessContext(AccessForm(key), exchange)) { $1 }
        context.merge(await Self.eventsContext(of: key.prefix, exchange)) { $1 }
        // The new key, once: it came in a cookie set by `create` for this key alone, cleared here.
        let cookie = NewKeyCookie(prefix: key.prefix, secure: exchange.request.isSecure)
        let newKey = exchange.request.cookies[cookie.name].flatMap { value in SecretRedaction.prefix(ofInput: value) == key.prefix ? value : nil }
        context["hasNewKey"] = .bool(newKey != nil)
        context["newKey"] = .string(newKey ?? "")
        var response = try await render("detail", context, exchange)
        if exchange.request.cookies[cookie.name] != nil {
            response.cookies.append(cookie.cleared(path: exchange.request.root + "/keys/" + key.prefix))
        }
        response.headers.append(("Cache-Control", "no-store"))
        return response
    }

    /// Saves the edit form: name and expiry.
    func update(_ exchange: Exchange<Model>, _ prefix: String) async throws -> AdminResponse {
        let form = try exchange.checkedForm()
        let key = try await find(exchange, prefix)
        let page = exchange.request.root + "/keys/" + key.prefix
        // Once revoked, a key is frozen: upstream's admin makes every field read-only.
        guard !key.isRevoked else { return .redirect(to: page + "?notice=frozen") }
        let (name, expires) = (form["name"] ?? "", form["expires"] ?? "")
        let access = AccessForm(form)
        let refuse = { (field: FieldError.Field, message: String) in
            var context = baseContext(exchange, pageTitle: key.prefix).merging(Optional(FieldError(field, message)).context) { $1 }
            context.merge(accessContext(access, exchange)) { $1 }
            context["key"] = try await row(of: key, exchange)
            context["formName"] = .string(name)
            context["formExpires"] = .string(expires)
            context["hasNewKey"] = .bool(false)
            context["newKey"] = .string("")
            return try await render("detail", context, exchange, status: 400)
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
            try apply(access, to: key)
            try await exchange.manager.update(key)
            return .redirect(to: page + "?notice=saved")
        } catch let error as APIKeyManagerError where error.code == .invalidName {
            return try await refuse(.name, error.description)
        } catch let error as APIKeyManagerError where error.code == .invalidExpiry {
            // Past the app's lifetime policy.
            return try await refuse(.expires, error.description)
        } catch let error as APIKeyManagerError where error.code == .invalidField {
            return try await refuse(FieldError.Field(error.field), error.description)
        } catch let error as FieldError {
            return try await refuse(error.field, error.message)
        }
    }

    /// What a key's page can do for good, after asking.
    enum FinalAction: String { case revoke, delete }

    /// The question before revoking or deleting a key: neither can be undone.
    func confirm(_ action: FinalAction, _ exchange: Exchange<Model>, _ prefix: String) async throws -> AdminResponse {
        let key = try await find(exchange, prefix)
        if action == .revoke, key.isRevoked { return .redirect(to: exchange.request.root + "/keys/" + key.prefix + "?notice=frozen") }
        let verb = action == .revoke ? "Revoke" : "Delete"
        var context = baseContext(exchange, pageTitle: verb + " " + key.prefix)
        context["key"] = try await row(of: key, exchange)
        context["verb"] = .string(verb)
        context["action"] = .string(action.rawValue)
        context["past"] = .string(action == .revoke ? "revoked" : "deleted")
        context["consequence"] = .string(action == .revoke ? "This cannot be undone: a revoked key stays revoked." : "This cannot be undone.")
        return try await render("confirm", context, exchange)
    }

    func revoke(_ exchange: Exchange<Model>, _ prefix: String) async throws -> AdminResponse {
        _ = try exchange.checkedForm()
        let key = try await find(exchange, prefix)
        try await exchange.manager.revoke(key)
        return .redirect(to: exchange.request.root + "/keys/" + key.prefix + "?notice=revoked")
    }

    func delete(_ exchange: Exchange<Model>, _ prefix: String) async throws -> AdminResponse {
        _ = try exchange.checkedForm()
        let key = try await find(exchange, prefix)
        try await exchange.manager.delete(key)
        return .redirect(to: exchange.request.root + "/keys?notice=deleted")
    }
}
