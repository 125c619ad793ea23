@testable import APIKeyAdminPanel
import APIKeyCore
import APIKeyTesting
import Logging
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
            form: [String: String] = [:], repeated: [(String, String)] = [], root: String = "/admin"
        ) async throws -> AdminResponse {
            let parts = path.split(separator: "?", maxSplits: 1)
            var fields = form
            if method == .post, fields["csrf"] == nil { fields["csrf"] = token }
            let body = (fields.map { ($0.key, $0.value) } + repeated)
                .map { "\($0.0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                .joined(separator: "&")
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
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
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

    @Test("scopes, allowed addresses and metadata on create and edit; suspend and resume, one key and several after a question", arguments: TestDatabase.all)
    func access(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let panel = AdminPanel(APIKey.self)
            let manager = APIKeyManager(APIKey.self, on: db, settings: APIKeySettings(scopes: DeclaredScopes(TestScope.self)))
            var browser = Browser()
            let form = try await browser.send(panel, manager, .get, "keys/new")
            #expect(form.body.contains(#"name="scopes[]" value="reports:read""#) && form.body.contains(#"name="allowed_ips""#) && form.body.contains(#"name="metadata""#))

            // Refusals, next to their field, with what was typed kept.
            let badScope = try await browser.send(panel, manager, .post, "keys", form: ["name": "x"], repeated: [("scopes[]", "reports:delete")])
            #expect(badScope.status == 400 && badScope.body.contains("Unknown scope &#39;reports:delete&#39;. Declared scopes: reports:read, reports:write, sandbox, keys:manage."))
            let badAddress = try await browser.send(panel, manager, .post, "keys", form: ["name": "x", "allowed_ips": "10.0.0.0/8\nnonsense"])
            #expect(badAddress.status == 400 && badAddress.body.contains(#"id="allowed_ips-error""#) && badAddress.body.contains("nonsense"))
            let badMetadata = try await browser.send(panel, manager, .post, "keys", form: ["name": "x", "metadata": "[1]"])
            #expect(badMetadata.status == 400 && badMetadata.body.contains(#"id="metadata-error""#) && badMetadata.body.contains("[1]"))
            #expect(try await manager.list(APIKeyQuery()).total == 0, "nothing was made")

            let created = try await browser.send(
                panel, manager, .post, "keys", form: ["name": "partner", "allowed_ips": "203.0.113.0/24\r\n2001:db8::/32", "metadata": #"{"plan":"pro"}"#],
                repeated: [("scopes[]", "reports:read"), ("scopes[]", "reports:write")])
            #expect(created.status == 303)
            let prefix = String(try #require(created.headers.first { $0.name == "Location" }?.value).dropFirst("/admin/keys/".count))
            let stored = try #require(try await manager.model(prefix: prefix))
            #expect(stored.scopes == ["reports:read", "reports:write"] && stored.allowedIPs == ["203.0.113.0/24", "2001:db8::/32"])
            #expect(stored.metadata?["plan"] == .string("pro"))

            let list = try await browser.send(panel, manager, .get, "keys?scope=reports:write")
            #expect(list.body.contains("<code>reports:read reports:write</code>") && list.body.contains(prefix))
            #expect(!(try await browser.send(panel, manager, .get, "keys?scope=sandbox")).body.contains(prefix))

            // Edit: untick a scope, clear the allowlist.
            let page = try await browser.send(panel, manager, .get, "keys/\(prefix)")
            #expect(page.body.contains(#"value="reports:write" id="scope-reports-write" checked"#))
            let edited = try await browser.send(panel, manager, .post, "keys/\(prefix)", form: ["name": "partner", "expires": "", "allowed_ips": "", "metadata": #"{"plan":"pro"}"#],
                                                repeated: [("scopes[]", "reports:read")])
            #expect(edited.status == 303)
            let after = try #require(try await manager.model(prefix: prefix))
            #expect(after.scopes == ["reports:read"] && after.allowedIPs.isEmpty)

            // Suspend and resume one key, from its page.
            #expect(try await browser.send(panel, manager, .post, "keys/\(prefix)/suspend").status == 303)
            #expect(try await manager.model(prefix: prefix)?.isSuspended == true)
            #expect(try await browser.send(panel, manager, .get, "keys/\(prefix)").body.contains(#"<span class="badge suspended">Suspended</span>"#))
            #expect(try await browser.send(panel, manager, .get, "keys?status=suspended").body.contains(prefix))
            #expect(try await browser.send(panel, manager, .post, "keys/\(prefix)/resume").status == 303)
            #expect(try await manager.model(prefix: prefix)?.isSuspended == false)

            // Several: a question first, then the change; revoked keys are left out.
            let (other, _) = try await manager.createKey(name: "other")
            let (revoked, _) = try await manager.createKey(name: "gone", revoked: true)
            let question = try await browser.send(panel, manager, .post, "keys/suspend", repeated: [("prefixes[]", prefix), ("prefixes[]", other.prefix), ("prefixes[]", revoked.prefix)])
            #expect(question.status == 200 && question.body.contains("Suspend 2 API keys?") && !question.body.contains(revoked.prefix))
            #expect(try await manager.model(prefix: prefix)?.isSuspended == false, "nothing changes before the answer")
            let done = try await browser.send(panel, manager, .post, "keys/suspend", form: ["confirm": "yes"], repeated: [("prefixes[]", prefix), ("prefixes[]", other.prefix)])
            #expect(done.headers.contains { $0.name == "Location" && $0.value == "/admin/keys?notice=suspended-2" })
            #expect(try await manager.list(APIKeyQuery(status: .suspended)).total == 2)
            _ = try await browser.send(panel, manager, .post, "keys/resume", form: ["confirm": "yes"], repeated: [("prefixes[]", other.prefix)])
            #expect(try await manager.list(APIKeyQuery(status: .suspended)).total == 1)

            // A revoked key's page shows its fields, frozen.
            let frozen = try await browser.send(panel, manager, .get, "keys/\(revoked.prefix)")
            #expect(!frozen.body.contains(#"name="scopes[]""#) && !frozen.body.contains("/suspend"))
            #expect(try await browser.send(panel, manager, .post, "keys/\(revoked.prefix)/resume").headers.contains { $0.value.hasSuffix("notice=frozen") })
        }
    }

    @Test("rotate: asks first with a grace period, shows the new key once, links both keys; a rotated key offers no second rotation", arguments: TestDatabase.all)
    func rotation(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let panel = AdminPanel(APIKey.self)
            let manager = APIKeyManager(on: db)
            var browser = Browser()
            let (old, oldKey) = try await manager.createKey(name: "partner")
            let page = try await browser.send(panel, manager, .get, "keys/\(old.prefix)")
            #expect(page.body.contains(#"href="/admin/keys/\#(old.prefix)/rotate""#))
            let question = try await browser.send(panel, manager, .get, "keys/\(old.prefix)/rotate")
            #expect(question.status == 200 && question.body.contains("keeps working for") && question.body.contains(#"<option value="24h" selected>"#))
            let odd = try await browser.send(panel, manager, .post, "keys/\(old.prefix)/rotate", form: ["grace": "99y"])
            #expect(odd.status == 400 && odd.body.contains("from the list"))
            #expect(try await manager.model(prefix: old.prefix)?.replacedBy == nil, "nothing rotated")

            let rotated = try await browser.send(panel, manager, .post, "keys/\(old.prefix)/rotate", form: ["grace": "1h"])
            #expect(rotated.status == 303)
            let location = try #require(rotated.headers.first { $0.name == "Location" }?.value)
            let newPrefix = String(try #require(location.firstMatch(of: /\/admin\/keys\/([A-Za-z0-9]{8})/)).1)
            let newPage = try await browser.send(panel, manager, .get, "keys/\(newPrefix)?notice=rotated")
            let newKey = try #require(newPage.body.firstMatch(of: /id="new-key"[^>]*>([A-Za-z0-9]{8}\.[A-Za-z0-9]{32})</).map { String($0.1) })
            #expect(newPage.body.contains("The API key was rotated") && newPage.body.contains(#"href="/admin/keys/\#(old.prefix)""#))
            #expect(await manager.verify(newKey).identity?.name == "partner")
            #expect(await manager.verify(oldKey.reveal()).identity?.deprecation != nil, "the old key works, deprecated")
            #expect(!(try await browser.send(panel, manager, .get, "keys/\(newPrefix)")).body.contains(newKey), "shown once")

            let oldPage = try await browser.send(panel, manager, .get, "keys/\(old.prefix)")
            #expect(oldPage.body.contains("Replaced by") && oldPage.body.contains(newPrefix) && !oldPage.body.contains("/rotate\""))
            let again = try await browser.send(panel, manager, .post, "keys/\(old.prefix)/rotate", form: ["grace": "1h"])
            #expect(again.status == 409 && again.body.contains("rotate that key instead"))
        }
    }

    @Test("tagged keys are shown once after creation; with recorded events, a key's page lists its own and Recent events every key's, attributed to the admin", arguments: TestDatabase.all)
    func taggedKeysAndEvents(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let panel = AdminPanel(APIKey.self)
            var settings = APIKeySettings(scheme: KeyScheme(generator: try TaggedKeyGenerator(tag: "acme_live")))
            settings.recordsEvents = true
            let manager = APIKeyManager(APIKey.self, on: db, settings: settings)
            var browser = Browser()
            let list = try await browser.send(panel, manager, .get, "keys")
            #expect(list.body.contains(#"href="/admin/keys/events""#))
            let created = try await browser.send(panel, manager, .post, "keys", form: ["name": "tagged"])
            let location = try #require(created.headers.first { $0.name == "Location" }?.value)
            let prefix = String(location.dropFirst("/admin/keys/".count))
            let page = try await browser.send(panel, manager, .get, "keys/\(prefix)")
            let key = try #require(page.body.firstMatch(of: /id="new-key"[^>]*>(acme_live_[A-Za-z0-9]{8}_[A-Za-z0-9]{38})</).map { String($0.1) })
            #expect(await manager.verify(key).identity?.name == "tagged")
            #expect(page.body.contains(#"<section class="events""#) && page.body.contains("created") && page.body.contains("admin"))
            #expect(try await browser.send(panel, manager, .post, "keys/\(prefix)/revoke").status == 303)
            let events = try await browser.send(panel, manager, .get, "keys/events")
            #expect(events.status == 200 && events.body.contains("revoked") && events.body.contains(#"href="/admin/keys/\#(prefix)""#))
            #expect(!events.body.contains(key) && !page.body.replacingOccurrences(of: key, with: "").contains(String(key.suffix(38))))
            #expect(try await manager.events(prefix: prefix).map(\.source) == ["admin", "admin"])

            // Without recorded events: no link, and the page says so.
            var quiet = Browser()
            let plain = APIKeyManager(APIKey.self, on: db)
            #expect(!(try await quiet.send(panel, plain, .get, "keys")).body.contains("Recent events"))
            #expect(try await quiet.send(panel, plain, .get, "keys/events").status == 404)
        }
    }

    @Test("the forms say what the lifetime policy does; an expiry past its maximum is refused next to the field", arguments: TestDatabase.all)
    func lifetime(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            var settings = APIKeySettings()
            settings.lifetime = try APIKeyLifetimePolicy(default: .seconds(30 * 86_400), maximum: .seconds(90 * 86_400))
            let manager = APIKeyServices(settings: settings).service(for: APIKey.self).manager(on: db)
            let panel = AdminPanel(APIKey.self)
            var browser = Browser()
            let form = try await browser.send(panel, manager, .get, "keys/new")
            #expect(form.body.contains("Leave empty for the app&#39;s default: 30 days from now. Keys live at most 90 days.")
                || form.body.contains("Leave empty for the app's default: 30 days from now. Keys live at most 90 days."))
            let refused = try await browser.send(panel, manager, .post, "keys", form: ["name": "far", "expires": "2099-01-01T00:00"])
            #expect(refused.status == 400 && refused.body.contains("Keys live at most 90 days here") && refused.body.contains(#"id="expires-error""#))
            #expect(try await APIKey.query(on: db).count() == 0)
        }
    }

    @Test("mounted at the root, links start at /keys")
    func rootMount() async throws {
        try await withTestDatabase(.sqlite, migrations: APIKeyMigrations.all) { db in
            var browser = Browser()
            let page = try await browser.send(AdminPanel(APIKey.self), APIKeyManager(on: db), .get, "keys", root: "")
            #expect(page.body.contains(#"href="/keys/new""#) && !page.body.contains("//keys"))
        }
    }
    @Test("usage: a sortable last-used column, an idle filter, and the key's last 30 days as an SVG chart", arguments: TestDatabase.all)
    func usage(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let clock = APIKeyTestClock(Date(timeIntervalSince1970: 1_764_849_600))
            let services = APIKeyServices(settings: APIKeySettings(clock: clock.clock))
            services.startRecordingUsage()
            let service = services.service(for: APIKey.self)
            let manager = service.manager(on: db)
            let panel = AdminPanel(APIKey.self)
            var browser = Browser()
            let (never, _) = try await manager.createKey(name: "never used")
            let (used, key) = try await manager.createKey(name: "used")
            for _ in 0..<4 { _ = await service.authenticate(.key(key.reveal()), on: db, logger: Logger(label: "test")) }
            clock.advance(by: 86_400)
            _ = await service.authenticate(.key(PlaintextAPIKey(prefix: key.prefix, secret: String(repeating: "w", count: 32)).reveal()), on: db, logger: Logger(label: "test"))
            await services.flushUsage(on: db, logger: Logger(label: "test"))

            let list = try await browser.send(panel, manager, .get, "keys")
            #expect(list.body.contains("Last used") && list.body.contains(#"<span class="muted">never</span>"#))
            #expect(list.body.contains(#"sort=recently_used"#), "the column sorts")
            let sorted = try await browser.send(panel, manager, .get, "keys?sort=recently_used")
            let usedAt = try #require(sorted.body.range(of: used.prefix)), neverAt = try #require(sorted.body.range(of: never.prefix))
            #expect(usedAt.lowerBound < neverAt.lowerBound)
            #expect(sorted.body.contains(#"sort=longest_idle"#) && sorted.body.contains(#"aria-sort="descending""#))
            let idle = try await browser.send(panel, manager, .get, "keys?idle=30d")
            #expect(idle.body.contains(never.prefix) && !idle.body.contains(">\(used.prefix)<"))
            #expect(idle.body.contains(#"<option value="30d" selected>"#))
            let unknown = try await browser.send(panel, manager, .get, "keys?idle=forever&sort=nonsense")
            #expect(unknown.status == 200 && unknown.body.contains(used.prefix), "an unknown choice is the default")

            let page = try await browser.send(panel, manager, .get, "keys/\(used.prefix)")
            #expect(page.body.contains("<svg") && page.body.contains("Requests, last 30 days"))
            #expect(page.body.components(separatedBy: #"class="usage-granted""#).count - 1 == 30, "a bar a day")
            #expect(page.body.contains("2025-12-04: 4 granted, 0 refused, 0 rate-limited"))
            #expect(page.body.contains("2025-12-05: 0 granted, 1 refused, 0 rate-limited"))
            #expect(page.body.contains("4 granted, 1 refused over 30 days"))
            #expect(!page.body.contains("<script>") && !page.body.contains("style=\""), "nothing the Content-Security-Policy would block")
        }
    }
    @Test("a key's rate limit on create and edit: checked as typed, empty for the app's default", arguments: TestDatabase.all)
    func rateLimit(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let panel = AdminPanel(APIKey.self)
            let manager = APIKeyServices(settings: APIKeySettings(defaultRateLimit: try RateLimit(60, per: .minute)))
                .service(for: APIKey.self).manager(on: db)
            var browser = Browser()
            let form = try await browser.send(panel, manager, .get, "keys/new")
            #expect(form.body.contains(#"name="rate_limit""#) && form.body.contains("the app's default (60/min)"))
            let bad = try await browser.send(panel, manager, .post, "keys", form: ["name": "x", "rate_limit": "100/day"])
            #expect(bad.status == 400 && bad.body.contains(#"id="rate_limit-error""#) && bad.body.contains("is not a rate limit"))
            #expect(bad.body.contains(#"value="100/day""#), "shown again as typed")
            let created = try await browser.send(panel, manager, .post, "keys", form: ["name": "metered", "rate_limit": "100/minute burst 10"])
            #expect(created.status == 303)
            let prefix = try #require(created.headers.first { $0.name == "Location" }?.value.split(separator: "/").last.map(String.init))
            #expect(try await manager.model(prefix: prefix)?.rateLimit == "100/min burst 10", "stored as written canonically")
            let edited = try await browser.send(
                panel, manager, .post, "keys/\(prefix)", form: ["name": "metered", "expires": "", "allowed_ips": "", "metadata": "", "rate_limit": ""])
            #expect(edited.status == 303)
            #expect(try await manager.model(prefix: prefix)?.rateLimit == nil)
        }
    }
}
