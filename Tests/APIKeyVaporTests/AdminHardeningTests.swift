import APIKeyVapor
import APIKeyVaporAdmin
import Fluent
import Foundation
import TestSupport
import Testing
import VaporTesting

/// What a security review of the admin panel found: CSRF tokens bound to the session, the
/// show-once cookie, names as the database counts them, control characters, the edit form's
/// expiry and a panel mounted at the root.
@Suite("Admin panel hardening")
struct AdminHardeningTests {
    /// The panel behind a session sign-in, as apps mount it (here everyone is signed in).
    static func sessionPanel(_ app: Application, path: String = "admin") throws {
        app.sessions.use(.memory)
        try app.grouped(app.sessions.middleware, SignedIn()).grouped(path.split(separator: "/").map { PathComponent(stringLiteral: String($0)) }).register(collection: APIKeyAdmin())
    }

    struct SignedIn: AsyncMiddleware {
        func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
            if request.session.data["staff"] == nil { request.session.data["staff"] = "yes" }
            return try await next.respond(to: request)
        }
    }

    /// The session cookie and the form's token from a page.
    static func session(_ app: Application, path: String = "admin/keys/new") async throws -> (cookie: String, token: String) {
        var result = ("", "")
        try await app.testing().test(.GET, path) { res in
            let session = try #require(res.headers.setCookie?["vapor-session"]?.string)
            let token = try #require(res.body.string.firstMatch(of: /name="csrf" value="([0-9a-f]{64})"/)?.1)
            result = ("vapor-session=\(session)", String(token))
        }
        return result
    }

    @Test("behind sessions, the CSRF token lives in the session: a planted cookie, or another session's token, is refused", arguments: TestDatabase.all)
    func csrfBoundToSession(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try Self.sessionPanel(app)
            let victim = try await Self.session(app)
            let attacker = try await Self.session(app)
            #expect(victim.token != attacker.token)
            let forged = String(repeating: "a", count: 64)
            let attempts: [(String, String, String)] = [
                ("a planted double-submit cookie", "\(victim.cookie); apikey_admin_csrf=\(forged)", forged),
                ("another session's token", victim.cookie, attacker.token),
                ("a new session", "apikey_admin_csrf=\(forged)", forged),
            ]
            for (label, cookie, token) in attempts {
                var headers = AdminTests.formHeaders
                headers.add(name: "Cookie", value: cookie)
                try await app.testing().test(.POST, "admin/keys", headers: headers, body: AdminTests.form(["name": "forged", "csrf": token])) { res in
                    #expect(res.status == .forbidden, "\(label)")
                }
            }
            #expect(try await APIKey.query(on: app.db).count() == 0)
            var headers = AdminTests.formHeaders
            headers.add(name: "Cookie", value: victim.cookie)
            try await app.testing().test(.POST, "admin/keys", headers: headers, body: AdminTests.form(["name": "genuine", "csrf": victim.token])) { res in
                #expect(res.status == .seeOther)
            }
            #expect(try await APIKey.query(on: app.db).count() == 1)
        }
    }

    @Test("without sessions, over HTTPS the CSRF cookie is __Host- and Secure")
    func csrfCookieOverHTTPS() async throws {
        try await withTestApp(.sqlite) { app in
            try app.grouped("admin").register(collection: APIKeyAdmin())
            try await app.testing().test(.GET, "admin/keys/new", headers: ["X-Forwarded-Proto": "https"]) { res in
                let cookie = try #require(res.headers.setCookie?["__Host-apikey_admin_csrf"])
                #expect(cookie.isSecure && cookie.isHTTPOnly && cookie.path == "/" && cookie.domain == nil)
                #expect(res.headers.setCookie?["apikey_admin_csrf"] == nil)
            }
        }
    }

    @Test("the show-once cookie is per key and per page, a session cookie, Secure over HTTPS: two creations never lose a key")
    func showOnceCookie() async throws {
        try await withTestApp(.sqlite) { app in
            try Self.sessionPanel(app)
            let (session, token) = try await Self.session(app)
            var headers = AdminTests.formHeaders
            headers.add(name: "Cookie", value: session)
            headers.add(name: "X-Forwarded-Proto", value: "https")
            var made: [(prefix: String, cookie: HTTPCookies.Value, name: String)] = []
            for name in ["first tab", "second tab"] {
                try await app.testing().test(.POST, "admin/keys", headers: headers, body: AdminTests.form(["name": name, "csrf": token])) { res in
                    let location = try #require(res.headers.first(name: .location))
                    let prefix = String(location.split(separator: "/").last!)
                    let cookieName = "__Secure-apikey_new_key_\(prefix)"
                    let cookie = try #require(res.headers.setCookie?[cookieName])
                    #expect(cookie.isSecure && cookie.isHTTPOnly && cookie.sameSite == .strict)
                    #expect(cookie.expires == nil && cookie.maxAge == nil, "a session cookie")
                    #expect(cookie.path == "/admin/keys/\(prefix)")
                    made.append((prefix, cookie, cookieName))
                }
            }
            #expect(made[0].name != made[1].name)
            // Both pages show their own key, once.
            for key in made {
                var page = HTTPHeaders([("X-Forwarded-Proto", "https")])
                page.add(name: "Cookie", value: "\(session); \(key.name)=\(key.cookie.string)")
                try await app.testing().test(.GET, "admin/keys/\(key.prefix)", headers: page) { res in
                    #expect(res.body.string.contains(key.cookie.string))
                    #expect(res.headers.setCookie?[key.name]?.string == "", "cleared once shown")
                }
            }
        }
    }

    @Test("names are counted as the database counts them, control characters are refused, and a NUL byte never reaches the database", arguments: TestDatabase.all)
    func namesAndControlCharacters(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try Self.sessionPanel(app)
            let (session, token) = try await Self.session(app)
            var headers = AdminTests.formHeaders
            headers.add(name: "Cookie", value: session)
            let combining = String(repeating: "e\u{301}", count: 26)  // 26 characters, 52 code points
            #expect(combining.count == 26)
            for (label, name, message) in [
                ("NUL", "nul\u{0}name", "control characters"), ("line break", "two\nlines", "control characters"),
                ("combining marks", combining, "at most 50"),
            ] {
                try await app.testing().test(.POST, "admin/keys", headers: headers, body: AdminTests.form(["name": name, "csrf": token])) { res in
                    #expect(res.status == .badRequest, "\(label)")
                    #expect(res.body.string.contains(message), "\(label)")
                }
            }
            let fits = String(repeating: "e\u{301}", count: 25)
            try await app.testing().test(.POST, "admin/keys", headers: headers, body: AdminTests.form(["name": fits, "csrf": token])) { res in
                #expect(res.status == .seeOther, "50 code points fit varchar(50)")
            }
            #expect(try await APIKey.query(on: app.db).count() == 1)
            try await app.testing().test(.GET, "admin/keys?q=%00", headers: ["Cookie": session]) { res in
                #expect(res.status == .badRequest)
                #expect(res.body.string.contains("The search cannot contain control characters"))
            }
            try await app.testing().test(.GET, "admin/keys/ab%00cd", headers: ["Cookie": session]) { res in
                #expect(res.status == .notFound)
            }
            try await app.testing().test(.POST, "admin/keys/revoke", headers: headers, body: ByteBuffer(string: "prefixes[]=ab%00cd&csrf=\(token)")) { res in
                #expect(res.status == .seeOther)
            }
            #expect(throws: APIKeyManagerError.self) { try APIKeyManager<APIKey>.validate(name: "tab\there") }
        }
    }

    @Test("editing only the name keeps the expiry to the second", arguments: TestDatabase.all)
    func editKeepsExpiry(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            try Self.sessionPanel(app)
            let expiry = Date(timeIntervalSince1970: 1_900_000_037)  // 37 seconds past the minute
            let (record, _) = try await APIKeyManager(on: app.db).createKey(name: "before", expiresAt: expiry)
            let (session, token) = try await Self.session(app, path: "admin/keys/\(record.prefix)")
            let shown = try #require(try await {
                var value: String?
                try await app.testing().test(.GET, "admin/keys/\(record.prefix)", headers: ["Cookie": session]) { res in
                    value = res.body.string.firstMatch(of: /name="expires" value="([^"]*)"/).map { String($0.1) }
                }
                return value
            }())
            var headers = AdminTests.formHeaders
            headers.add(name: "Cookie", value: session)
            try await app.testing().test(.POST, "admin/keys/\(record.prefix)", headers: headers, body: AdminTests.form(["name": "after", "expires": shown, "csrf": token])) { res in
                #expect(res.status == .seeOther)
            }
            let saved = try #require(try await APIKey.find(record.id, on: app.db))
            #expect(saved.name == "after" && saved.expiresAt == expiry)
        }
    }

    @Test("a panel mounted at the root links to /keys, not //keys")
    func mountedAtRoot() async throws {
        try await withTestApp(.sqlite) { app in
            try app.register(collection: APIKeyAdmin())
            _ = try await APIKeyManager(on: app.db).createKey(name: "root")
            try await app.testing().test(.GET, "keys") { res in
                #expect(res.status == .ok)
                #expect(!res.body.string.contains("//keys"))
                #expect(res.body.string.contains("\"/keys/new\""))
            }
        }
    }
}
