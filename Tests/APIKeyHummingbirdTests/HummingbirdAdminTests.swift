import APIKeyCore
import APIKeyFluent
import APIKeyHummingbird
import APIKeyHummingbirdAdmin
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import TestSupport
import Testing

/// The framework-neutral admin panel mounted on Hummingbird: the same pages, CSRF protection
/// and show-once cookie as on Vapor.
@Suite("Hummingbird: the admin panel")
struct HummingbirdAdminTests {
    static let logger = Logger(label: "test")

    static func form(_ fields: [String: String]) -> ByteBuffer {
        var components = URLComponents()
        components.queryItems = fields.map { URLQueryItem(name: $0.key, value: $0.value) }
        return ByteBuffer(string: components.percentEncodedQuery ?? "")
    }

    static let formHeaders: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test("create (shown once), list, revoke; forms need their CSRF token; a revoked key is refused at once", arguments: TestDatabase.all)
    func adminFlow(database: TestDatabase) async throws {
        try await withFluent(database, migrations: APIKeyMigrations.all) { fluent in
            let keys = APIKeys(fluent: fluent)
            let router = Router(context: BasicAPIKeyRequestContext<APIKey.Identity>.self)
            router.add(middleware: APIKeyAuthenticator(keys))
            router.group("api").add(middleware: HasAPIKey()).get("protected") { _, _ in "granted" }
            APIKeyAdmin(keys).add(to: router.group("admin"))

            try await Application(router: router).test(.router) { client in
                var token = "", csrfCookie = ""
                try await client.execute(uri: "/admin/keys/new", method: .get) { res in
                    #expect(res.status == .ok)
                    let cookie = try #require(res.headers[values: .setCookie].first { $0.hasPrefix("apikey_admin_csrf=") })
                    csrfCookie = String(cookie.split(separator: ";")[0])
                    token = String(csrfCookie.dropFirst("apikey_admin_csrf=".count))
                    #expect(String(buffer: res.body).contains(token))
                }
                var headers = Self.formHeaders
                try await client.execute(uri: "/admin/keys", method: .post, headers: headers, body: Self.form(["name": "x", "csrf": token])) { res in
                    #expect(res.status == .forbidden, "no cookie")
                }
                headers[.cookie] = csrfCookie
                var location = "", newKeyCookie = ""
                try await client.execute(uri: "/admin/keys", method: .post, headers: headers, body: Self.form(["name": "<b>partner</b>", "csrf": token])) { res in
                    #expect(res.status == .seeOther)
                    location = try #require(res.headers[.location])
                    newKeyCookie = String(try #require(res.headers[values: .setCookie].first { $0.hasPrefix("apikey_new_key_") }).split(separator: ";")[0])
                }
                let prefix = String(location.split(separator: "/").last!)
                let key = String(newKeyCookie.split(separator: "=", maxSplits: 1)[1])
                #expect(key.hasPrefix(prefix + "."))
                try await client.execute(uri: location, method: .get, headers: [.cookie: "\(csrfCookie); \(newKeyCookie)"]) { res in
                    #expect(String(buffer: res.body).contains(key), "shown once")
                    #expect(String(buffer: res.body).contains("&lt;b&gt;partner&lt;/b&gt;"), "escaped")
                    #expect(res.headers[values: .setCookie].contains { $0.hasPrefix("apikey_new_key_\(prefix)=;") }, "cleared")
                }
                try await client.execute(uri: "/admin/keys", method: .get) { res in
                    #expect(String(buffer: res.body).contains(prefix))
                    #expect(!String(buffer: res.body).contains(key))
                }
                try await client.execute(uri: "/api/protected", method: .get, headers: [.authorization: "Api-Key \(key)"]) { res in
                    #expect(res.status == .ok)
                }
                try await client.execute(uri: "/admin/keys/\(prefix)/revoke", method: .post, headers: headers, body: Self.form(["csrf": token])) { res in
                    #expect(res.status == .seeOther)
                }
                try await client.execute(uri: "/api/protected", method: .get, headers: [.authorization: "Api-Key \(key)"]) { res in
                    #expect(res.status == .unauthorized, "the manager shares the verification cache")
                }
                try await client.execute(uri: "/admin/keys/zzzzzzzz", method: .get) { res in #expect(res.status == .notFound) }
                // Cookie pairs without a name are ignored, never a crash.
                try await client.execute(uri: "/admin/keys", method: .get, headers: [.cookie: "=; =x; ;a"]) { res in
                    #expect(res.status == .ok)
                }
                try await client.execute(uri: "/admin/keys?q=%00", method: .get) { res in #expect(res.status == .badRequest) }
                try await client.execute(uri: "/admin/keys?q=%FF", method: .get) { res in #expect(res.status == .badRequest) }
                try await client.execute(
                    uri: "/admin/keys", method: .post, headers: headers, body: ByteBuffer(string: "name=" + String(repeating: "n", count: 100_000))
                ) { res in #expect(res.status == .contentTooLarge) }
            }
        }
    }
}
