import APIKeyVapor
import APIKeyVaporAdmin
import Fluent
import Foundation
import TestSupport
import Testing
import VaporTesting

/// The admin panel's server side, on SQLite and PostgreSQL; scripts/example/ drives it in a real
/// browser too.
@Suite("Admin panel")
struct AdminTests {
    /// A GET that collects the CSRF cookie, as a browser would.
    static func csrf(_ app: Application) async throws -> (token: String, cookie: String) {
        var result = ("", "")
        try await app.testing().test(.GET, "admin/keys/new") { res in
            let cookie = try #require(res.headers.setCookie?["apikey_admin_csrf"]?.string)
            result = (cookie, "apikey_admin_csrf=\(cookie)")
        }
        return result
    }

    static func form(_ fields: [String: String]) -> ByteBuffer {
        var components = URLComponents()
        components.queryItems = fields.map { URLQueryItem(name: $0.key, value: $0.value) }
        return ByteBuffer(string: components.percentEncodedQuery ?? "")
    }

    static let formHeaders: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"]

    @Test("pages of 25, newest first; search is case-insensitive on name and prefix", arguments: TestDatabase.all)
    func listing(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try app.grouped("admin").register(collection: APIKeyAdmin())
            let keys = APIKeyManager(on: app.db)
            for index in 0..<30 { _ = try await keys.createKey(name: "Service \(index)") }
            try await app.testing().test(.GET, "admin/keys") { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Page 1 of 2 · 30 keys"))
                #expect(res.body.string.components(separatedBy: "<tr>").count - 1 == 25 + 1)
            }
            try await app.testing().test(.GET, "admin/keys?page=2") { res in
                #expect(res.body.string.contains("Page 2 of 2 · 30 keys"))
            }
            try await app.testing().test(.GET, "admin/keys?q=SERVICE%2029") { res in
                #expect(res.body.string.contains("Page 1 of 1 · 1 key"))
                #expect(!res.body.string.contains("1 keys"))
            }
            try await app.testing().test(.GET, "admin/keys?page=99&status=nonsense") { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Page 2 of 2"))
            }
        }
    }

    @Test("status filters: active, expired, revoked", arguments: TestDatabase.all)
    func filters(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try app.grouped("admin").register(collection: APIKeyAdmin())
            let keys = APIKeyManager(on: app.db)
            _ = try await keys.createKey(name: "active-one")
            _ = try await keys.createKey(name: "active-later", expiresAt: Date().addingTimeInterval(3600))
            _ = try await keys.createKey(name: "expired-one", expiresAt: Date().addingTimeInterval(-3600))
            _ = try await keys.createKey(name: "revoked-one", revoked: true)
            for (status, expected) in [("active", ["active-one", "active-later"]), ("expired", ["expired-one"]), ("revoked", ["revoked-one"])] {
                try await app.testing().test(.GET, "admin/keys?status=\(status)") { res in
                    let body = res.body.string
                    let shown = ["active-one", "active-later", "expired-one", "revoked-one"].filter { body.contains("<td>\($0)</td>") }
                    #expect(shown == expected, "\(status)")
                }
            }
        }
    }

    @Test("every POST needs the CSRF token of its cookie; names are escaped; a revoked key is frozen", arguments: TestDatabase.all)
    func safety(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try app.grouped("admin").register(collection: APIKeyAdmin())
            let (token, cookie) = try await Self.csrf(app)
            var headers = Self.formHeaders
            try await app.testing().test(.POST, "admin/keys", headers: headers, body: Self.form(["name": "x", "csrf": token])) { res in
                #expect(res.status == .forbidden)  // no cookie
            }
            headers.add(name: "Cookie", value: cookie)
            try await app.testing().test(.POST, "admin/keys", headers: headers, body: Self.form(["name": "x", "csrf": (token.hasPrefix("0") ? "1" : "0") + token.dropFirst()])) { res in
                #expect(res.status == .forbidden)  // wrong token
            }
            #expect(try await APIKey.query(on: app.db).count() == 0)

            try await app.testing().test(.POST, "admin/keys", headers: headers, body: Self.form(["name": "<img src=x onerror=alert(1)>\"'", "csrf": token])) { res in
                #expect(res.status == .seeOther)
            }
            let record = try #require(try await APIKey.query(on: app.db).first())
            try await app.testing().test(.GET, "admin/keys") { res in
                #expect(!res.body.string.contains("<img src=x"))
                #expect(res.body.string.contains("&lt;img src=x onerror=alert(1)&gt;&quot;&#39;"))
                #expect(res.headers.first(name: .contentSecurityPolicy)?.contains("default-src 'none'") == true)
            }
            try await app.testing().test(.POST, "admin/keys", headers: headers, body: Self.form(["name": "   ", "csrf": token])) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("A name is required."))
            }
            try await app.testing().test(.POST, "admin/keys", headers: headers, body: Self.form(["name": "dated", "expires": "2027-02-30T10:00", "csrf": token])) { res in
                #expect(res.status == .badRequest)
            }
            #expect(try await APIKey.query(on: app.db).count() == 1)

            // Created already revoked, as upstream's admin allows.
            try await app.testing().test(.POST, "admin/keys", headers: headers, body: Self.form(["name": "born revoked", "revoked": "on", "csrf": token])) { res in
                #expect(res.status == .seeOther)
            }
            #expect(try await APIKey.query(on: app.db).filter(\.$name == "born revoked").first()?.isRevoked == true)

            try await app.testing().test(.POST, "admin/keys/\(record.prefix)/revoke", headers: headers, body: Self.form(["csrf": token])) { res in
                #expect(res.status == .seeOther)
            }
            try await app.testing().test(.POST, "admin/keys/\(record.prefix)", headers: headers, body: Self.form(["name": "renamed", "csrf": token])) { res in
                #expect(res.headers.first(name: .location)?.hasSuffix("notice=frozen") == true)
            }
            let frozen = try #require(try await APIKey.find(record.id, on: app.db))
            #expect(frozen.isRevoked && frozen.name == record.name)
            try await app.testing().test(.GET, "admin/keys/zzzzzzzz") { res in #expect(res.status == .notFound) }
        }
    }

    @Test("revoking asks first, naming the keys; refusals are admin pages with a way back; the CSRF check comes before the form's", arguments: TestDatabase.all)
    func revokeAsksFirst(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try app.grouped("admin").register(collection: APIKeyAdmin())
            let keys = APIKeyManager(on: app.db)
            let (first, _) = try await keys.createKey(name: "first <key>")
            let (second, _) = try await keys.createKey(name: "second")
            let (token, cookie) = try await Self.csrf(app)
            var headers = Self.formHeaders
            headers.add(name: "Cookie", value: cookie)
            let isRevoked = { (record: APIKey) in try await APIKey.find(record.id, on: app.db)?.isRevoked == true }

            // The list's "Revoke selected": nothing selected says so; otherwise a question, naming the keys.
            try await app.testing().test(.POST, "admin/keys/revoke", headers: headers, body: Self.form(["csrf": token])) { res in
                #expect(res.headers.first(name: .location)?.hasSuffix("notice=none-selected") == true)
            }
            try await app.testing().test(.GET, "admin/keys?notice=none-selected") { res in
                #expect(res.body.string.contains("No API keys were selected"))
            }
            let both = ByteBuffer(string: "prefixes[]=\(first.prefix)&prefixes[]=\(second.prefix)&csrf=\(token)")
            try await app.testing().test(.POST, "admin/keys/revoke", headers: headers, body: both) { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Revoke 2 API keys?"))
                #expect(res.body.string.contains("first &lt;key&gt;") && res.body.string.contains(second.prefix))
                #expect(res.body.string.contains(#"name="confirm" value="yes""#))
            }
            let firstAfterAsking = try await isRevoked(first), secondAfterAsking = try await isRevoked(second)
            #expect(!firstAfterAsking && !secondAfterAsking, "asking revokes nothing")
            try await app.testing().test(.POST, "admin/keys/revoke", headers: headers, body: ByteBuffer(string: "confirm=yes&prefixes[]=\(first.prefix)&csrf=\(token)")) { res in
                #expect(res.headers.first(name: .location)?.hasSuffix("notice=revoked-1") == true)
            }
            let firstAfter = try await isRevoked(first), secondAfter = try await isRevoked(second)
            #expect(firstAfter && !secondAfter)

            // The key's own Revoke is a page that asks, and needs no name field.
            try await app.testing().test(.GET, "admin/keys/\(second.prefix)/revoke") { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Revoke API key <code>\(second.prefix)</code>?"))
            }
            let secondAfterItsPage = try await isRevoked(second)
            #expect(!secondAfterItsPage)
            try await app.testing().test(.GET, "admin/keys/\(first.prefix)/revoke") { res in
                #expect(res.headers.first(name: .location)?.hasSuffix("notice=frozen") == true, "a revoked key is not asked again")
            }

            // Refusals: admin pages with the header and a way back, not raw text.
            try await app.testing().test(.GET, "admin/keys/zzzzzzzz") { res in
                #expect(res.status == .notFound)
                #expect(res.headers.contentType == .html)
                #expect(res.body.string.contains("No such API key") && res.body.string.contains("Back to the API keys"))
            }
            // An empty POST is refused for its missing token (403), before any field is read.
            try await app.testing().test(.POST, "admin/keys", headers: ["Cookie": cookie], body: ByteBuffer()) { res in
                #expect(res.status == .forbidden)
                #expect(res.headers.contentType == .html)
                #expect(res.body.string.contains("The form has expired") && res.body.string.contains("Back to the API keys"))
            }
            // A new key whose expiry has passed: refused, the form keeps what was typed.
            try await app.testing().test(.POST, "admin/keys", headers: headers, body: Self.form(["name": "born expired", "expires": "2001-01-01T00:00", "csrf": token])) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("has already passed"))
                #expect(res.body.string.contains(#"value="born expired""#))
            }
            #expect(try await APIKey.query(on: app.db).count() == 2)
        }
    }

    @Test("bad form input (names, dates, encodings, sizes, unknown prefixes): a 4xx with a clear message, never a 5xx, and nothing written", arguments: TestDatabase.all)
    func badInput(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try app.grouped("admin").register(collection: APIKeyAdmin())
            let (record, _) = try await APIKeyManager(on: app.db).createKey(name: "kept", expiresAt: Date(timeIntervalSince1970: 1_900_000_000))
            let snapshot = { try await APIKey.query(on: app.db).all().map { "\($0.prefix) \($0.name) \($0.isRevoked) \(String(describing: $0.expiresAt))" } }
            let before = try await snapshot()
            let (token, cookie) = try await Self.csrf(app)
            var headers = Self.formHeaders
            headers.add(name: "Cookie", value: cookie)
            let raw = { (body: String) in ByteBuffer(string: body + "&csrf=" + token) }

            let refused: [(String, String, ByteBuffer, String?)] = [
                ("admin/keys", "51-character name", Self.form(["name": String(repeating: "n", count: 51), "csrf": token]), "50"),
                ("admin/keys", "empty name", Self.form(["name": "", "csrf": token]), "A name is required."),
                ("admin/keys", "no name", raw(""), "A name is required."),
                ("admin/keys", "non-UTF-8 name", raw("name=%FF%FE"), nil),
                ("admin/keys", "day 30 of February", Self.form(["name": "dated", "expires": "2027-02-30T10:00", "csrf": token]), "Enter the expiry"),
                ("admin/keys", "hour 25", Self.form(["name": "dated", "expires": "2027-01-01T25:00", "csrf": token]), "Enter the expiry"),
                ("admin/keys", "a word for a date", Self.form(["name": "dated", "expires": "tomorrow", "csrf": token]), "Enter the expiry"),
                ("admin/keys", "a 5,000-character date", Self.form(["name": "dated", "expires": String(repeating: "9", count: 5_000), "csrf": token]), "Enter the expiry"),
                ("admin/keys", "a 100 KB name", Self.form(["name": String(repeating: "n", count: 100_000), "csrf": token]), nil),
                ("admin/keys/\(record.prefix)", "edit: 51-character name", Self.form(["name": String(repeating: "n", count: 51), "csrf": token]), "50"),
                ("admin/keys/\(record.prefix)", "edit: bad date", Self.form(["name": "kept", "expires": "2027-13-01", "csrf": token]), "Enter the expiry"),
                ("admin/keys/zzzzzzzz", "edit: unknown prefix", Self.form(["name": "x", "csrf": token]), nil),
                ("admin/keys/zzzzzzzz/revoke", "revoke: unknown prefix", Self.form(["csrf": token]), nil),
                ("admin/keys/zzzzzzzz/delete", "delete: unknown prefix", Self.form(["csrf": token]), nil),
                ("admin/keys/%27%3B%20DROP%20TABLE%20api_keys%3B--/delete", "delete: SQL in the prefix", Self.form(["csrf": token]), nil),
                ("admin/keys/%25/revoke", "revoke: a LIKE wildcard for a prefix", Self.form(["csrf": token]), nil),
                ("admin/keys/\(record.prefix)/delete", "delete without the CSRF token", Self.form([:]), nil),
            ]
            for (path, label, body, message) in refused {
                try await app.testing().test(.POST, path, headers: headers, body: body) { res in
                    #expect((400..<500).contains(res.status.code), "\(label): \(res.status)")
                    if let message { #expect(res.body.string.contains(message), "\(label)") }
                }
            }
            // Bulk revocation of prefixes that do not exist changes nothing, and says so.
            try await app.testing().test(.POST, "admin/keys/revoke", headers: headers, body: raw("prefixes[]=zzzzzzzz&prefixes[]=%25&prefixes[]=" + String(repeating: "p", count: 200))) { res in
                #expect(res.status == .seeOther)
            }
            // Odd listing parameters are clamped, not errors.
            for query in ["page=-1", "page=99999999999999999999", "page=abc", "q=" + String(repeating: "%25", count: 2_000), "q=%FF%FE", "status=%00"] {
                try await app.testing().test(.GET, "admin/keys?\(query)") { res in
                    #expect(res.status.code < 500, "\(query.prefix(40)): \(res.status)")
                }
            }
            #expect(try await snapshot() == before)
        }
    }
}
