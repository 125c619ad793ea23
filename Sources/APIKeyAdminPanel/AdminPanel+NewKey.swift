import APIKeyFluent
import Foundation
import LeafKit

extension AdminPanel {
    /// The form for a new key, as typed so far, with a refusal next to its field.
    func newKeyForm(
        _ exchange: Exchange<Model>, name: String, expires: String, owner selected: String?, access: AccessForm, error: FieldError?,
        status: Int = 200
    ) async throws -> AdminResponse {
        var context = baseContext(exchange, pageTitle: "Add API key").merging(error.context) { $1 }.merging(accessContext(access, exchange)) { $1 }
        context["name"] = .string(name)
        context["expires"] = .string(expires)
        context["owners"] = .array((try await owner?.choices(exchange.manager.database) ?? []).map { option($0.id, $0.label, selected: $0.id == selected) })
        return try await render("new", context, exchange, status: status)
    }

    /// Makes the key, and sends the browser to its page, which shows it once.
    func create(_ exchange: Exchange<Model>) async throws -> AdminResponse {
        let form = try exchange.checkedForm()
        let name = form["name"] ?? ""
        let expires = form["expires"] ?? ""
        let access = AccessForm(form)
        // A refusal shows the form again as it was typed, with the message next to its field.
        let refuse = { (field: FieldError.Field, message: String) in
            try await newKeyForm(exchange, name: name, expires: expires, owner: form["owner"], access: access, error: FieldError(field, message), status: 400)
        }
        let expiresAt: Date?
        do {
            expiresAt = try Self.expiry(form["expires"])
            try APIKeyManager<Model>.validate(newExpiry: expiresAt, now: exchange.manager.now())
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
                try apply(access, to: model)
            }
            let page = exchange.request.root + "/keys/" + record.prefix
            var response = AdminResponse.redirect(to: page)
            let cookie = NewKeyCookie(prefix: record.prefix, secure: exchange.request.isSecure)
            response.cookies.append(cookie.carrying(key, path: page))
            return response
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
}
