@testable import APIKeyAdminPanel
import APIKeyFluent
import FluentKit
import Foundation
import TestSupport
import Testing

/// The admin panel with no web framework at all: requests in, pages out.
@Suite("The admin panel, without a framework")
struct AdminPanelTests {
    /// One browser's state: its cookies, and the CSRF token of the last page.
    struct Browser {
        var cookies: [String: String] = [:]
        var token = ""

        mutating func send(
            _ panel: AdminPanel<APIKey>, _ manager: APIKeyManager<APIKey>, _ method: AdminRequest.Method, _ path: String,
            form: [String: String] = [:], root: String = "/admin"
        ) async throws -> AdminResponse {
            let parts = path.split(separator: "?", maxSplits: 1)
            var fields = form
            if method == .post, fields["csrf"] == nil { fields["csrf"] = token }
            let body = fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            let request = AdminRequest(
                method: method, root: root, path: parts[0].split(separator: "/").map(String.init),
                query: try AdminForm(query: parts.count > 1 ? String(parts[1]) : ""), form: try AdminForm(query: method == .post ? body : ""),
                cookies: cookies)
            let response = try await panel.respond(to: request, manager: manager)
            for cookie in response.cookies { cookies[cookie.name] = cookie.clear ? nil : cookie.value }
            if let match = response.body.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/) { token = String(match.1) }
            return response
        }
    }

    @Test("create (shown once), list, edit, revoke and delete, every link under the panel's root; forms need their CSRF token", arguments: TestDatabase.all)
    func flow(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateAPIKeys(), AddAPIKeyAccessFields()]) { db in
            let panel = AdminPanel(APIKey.self)
            let manager = APIKeyManager(on: db)
            var browser = Browser()
            let empty = try await browser.send(panel, manager, .get, "keys")
            #expect(empty.status == 200 && empty.body.contains(#"href="/admin/keys/new""#) && empty.body.contains(#"action="/admin/keys""#))
            #expect(empty.headers.contains { $0.name == "Content-Security-Policy" })

            var stranger = Browser()
            let forged = try await stranger.send(panel, manager, .post, "keys", form: ["name": "forged", "csrf": String(repeating: "0", count: 64)])
            #expect(forged.status == 403 && forged.body.contains("The form has expired"))

            let created = try await browser.send(panel, manager, .post, "keys", form: ["name": "partner"])
            #expect(created.status == 303)
            let location = try #require(created.headers.first { $0.name == "Location" }?.value)
            #expect(location.hasPrefix("/admin/keys/"))
            let prefix = String(location.dropFirst("/admin/keys/".count))
            let page = try await browser.send(panel, manager, .get, "keys/\(prefix)")
            let key = try #require(page.body.firstMatch(of: /id="new-key"[^>]*>([A-Za-z0-9]{8}\.[A-Za-z0-9]{32})</).map { String($0.1) })
            #expect(await manager.verify(key).identity?.name == "partner")
            let again = try await browser.send(panel, manager, .get, "keys/\(prefix)")
            #expect(!again.body.contains(key), "shown once")

            let renamed = try await browser.send(panel, manager, .post, "keys/\(prefix)", form: ["name": "renamed", "expires": ""])
            let stored = try await manager.model(prefix: prefix)
            #expect(renamed.status == 303 && stored?.name == "renamed")
            #expect(try await browser.send(panel, manager, .post, "keys/\(prefix)/revoke").status == 303)
            #expect(await manager.verify(key).denial == .revoked)
            #expect(try await browser.send(panel, manager, .post, "keys/\(prefix)/delete").status == 303)
            #expect(try await manager.model(prefix: prefix) == nil)
            #expect(try await browser.send(panel, manager, .get, "keys/\(prefix)").status == 404)
        }
    }

    @Test("mounted at the root, links start at /keys")
    func rootMount() async throws {
        try await withTestDatabase(.sqlite, migrations: [CreateAPIKeys(), AddAPIKeyAccessFields()]) { db in
            var browser = Browser()
            let page = try await browser.send(AdminPanel(APIKey.self), APIKeyManager(on: db), .get, "keys", root: "")
            #expect(page.body.contains(#"href="/keys/new""#) && !page.body.contains("//keys"))
        }
    }
}
