package import APIKeyFluent
import APIKeyCore
import FluentKit
import Foundation

/// The API key admin panel, for any framework: list (newest first, paginated, searchable by
/// name or prefix, filtered by status), bulk revoke, create (the key is shown once), edit name and
/// expiry, rotate (the new key is shown once), revoke, delete. Server-rendered HTML that works without JavaScript, with every value
/// escaped and every form protected by a CSRF token. Framework glue turns a request into an
/// ``AdminRequest`` and the ``AdminResponse`` back (`APIKeyVaporAdmin`, `APIKeyHummingbirdAdmin`).
///
/// It does no authentication of its own: mount it behind yours.
package struct AdminPanel<Model: APIKeyModel>: Sendable {
    /// The panel's heading.
    package let title: String
    /// Keys per page.
    package var pageSize = 25
    /// The header's links and sign-out button.
    package var navigation = AdminNavigation()
    let owner: APIKeyAdminOwner<Model>?

    /// A panel for `model` keys.
    ///
    /// - Parameters:
    ///   - model: The key model.
    ///   - title: The heading.
    ///   - owner: For custom models: the owner column, filter and create-form choice.
    package init(_ model: Model.Type, title: String = "API keys", owner: APIKeyAdminOwner<Model>? = nil) {
        self.title = title
        self.owner = owner
    }

    /// Pages load nothing but their inline style and the panel's one same-origin script: no
    /// inline script runs, whoever manages to inject markup.
    static var contentSecurityPolicy: String {
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; form-action 'self'; frame-ancestors 'none'"
    }

    /// Answers one request: a page, a redirect, or a 4xx with a message. Errors of the key
    /// store are thrown for the glue to answer as it answers them elsewhere (503).
    package func respond(to request: AdminRequest, manager: APIKeyManager<Model>) async throws -> AdminResponse {
        let exchange = Exchange<Model>(request: request, manager: manager.acting(as: "admin"))
        do {
            let path = request.path.filter { !$0.isEmpty }
            guard path.first == "keys" else { return try await messagePage(exchange, status: 404, heading: "Not found", "There is no admin page here.") }
            let rest = Array(path.dropFirst())
            switch (request.method, rest.count) {
            case (.get, 0): return try await list(exchange)
            case (.post, 0): return try await create(exchange)
            case (.get, 1) where rest[0] == "new": return try await newKeyForm(exchange, name: "", expires: "", owner: nil, access: AccessForm(), error: nil)
            case (.get, 2) where rest == ["_assets", "admin.js"]: return .script(AdminScript.text)
            case (.get, 1) where rest[0] == "events": return try await eventsPage(exchange)
            case (.post, 1) where rest[0] == "revoke": return try await revokeSelected(exchange)
            case (.post, 1) where rest[0] == "suspend" && hasAccess: return try await setSuspendedSelected(true, exchange)
            case (.post, 1) where rest[0] == "resume" && hasAccess: return try await setSuspendedSelected(false, exchange)
            case (.get, 1): return try await keyPage(exchange, rest[0])
            case (.post, 1): return try await update(exchange, rest[0])
            case (.get, 2) where rest[1] == "revoke": return try await confirm(.revoke, exchange, rest[0])
            case (.post, 2) where rest[1] == "revoke": return try await revoke(exchange, rest[0])
            case (.post, 2) where rest[1] == "suspend" && hasAccess: return try await setSuspended(true, exchange, rest[0])
            case (.post, 2) where rest[1] == "resume" && hasAccess: return try await setSuspended(false, exchange, rest[0])
            case (.get, 2) where rest[1] == "rotate" && Model.isRotatable: return try await rotateForm(exchange, rest[0])
            case (.post, 2) where rest[1] == "rotate" && Model.isRotatable: return try await rotate(exchange, rest[0])
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
        } catch let error as APIKeyManagerError where error.code == .stillReferenced {
            return try await messagePage(exchange, status: 409, heading: "This API key cannot be deleted", error.description)
        } catch let error as APIKeyManagerError where error.code == .notRotatable {
            return try await messagePage(exchange, status: 409, heading: "This API key cannot be rotated", error.description)
        } catch let error as APIKeyManagerError where error.code == .revocationIsFinal {
            return try await messagePage(exchange, status: 409, heading: "This API key is revoked", error.description)
        }
    }

    /// The key with `prefix`, or a 404 (or 409 for a row that cannot be read).
    func find(_ exchange: Exchange<Model>, _ prefix: String) async throws -> Model {
        let found: Model?
        do {
            found = try await exchange.manager.model(prefix: prefix)
        } catch FluentError.invalidField {
            throw UnreadableKey()
        }
        guard let key = found else { throw UnknownKey() }
        return key
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
}
