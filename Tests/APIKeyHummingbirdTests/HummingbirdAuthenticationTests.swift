import APIKeyCore
import APIKeyFluent
import APIKeyHummingbird
import FluentKit
import Foundation
import Hummingbird
import HummingbirdAuth
import HummingbirdTesting
import HTTPTypes
import Logging
import SQLKit
import TestSupport
import Testing

/// Hummingbird's glue, in hummingbird-auth's idioms, deciding as the Vapor side does.
@Suite("Hummingbird: keys on the request context")
struct HummingbirdAuthenticationTests {
    static let logger = Logger(label: "test")

    /// Runs `test` with a migrated database behind a FluentService, and the built-in model's service.
    func withKeys(
        _ kind: TestDatabase, migrate: Bool = true,
        _ test: (FluentService, APIKeys) async throws -> Void
    ) async throws {
        try await withFluent(kind, migrations: migrate ? APIKeyMigrations.all : []) { fluent in
            try await test(fluent, APIKeys(fluent: fluent))
        }
    }

    @Test("a valid key puts its identity on the context; no key, garbage, an unknown or a revoked key get 401 with the challenge, in Hummingbird's error shape", arguments: TestDatabase.all)
    func requireKey(database: TestDatabase) async throws {
        try await withKeys(database) { fluent, keys in
            let router = Router(context: BasicAPIKeyRequestContext<APIKey.Identity>.self)
            router.add(middleware: APIKeyAuthenticator(keys))
            router.get("public") { _, _ in "open" }
            router.group("api").add(middleware: HasAPIKey()).get("protected") { _, context in
                "Hello, \(try context.requireIdentity().name)"
            }
            let manager = keys.manager()
            let (_, key) = try await manager.createKey(name: "partner")
            let (revoked, revokedKey) = try await manager.createKey(name: "gone")
            try await manager.revoke(revoked)

            try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/api/protected", method: .get, headers: [.authorization: "Api-Key \(key.reveal())"]) { res in
                    #expect(res.status == .ok)
                    #expect(String(buffer: res.body) == "Hello, partner")
                }
                for (label, value) in [
                    ("no key", nil), ("garbage", "Api-Key garbage"), ("unknown prefix", "Api-Key zzzzzzzz." + String(repeating: "a", count: 32)),
                    ("revoked", "Api-Key \(revokedKey.reveal())"), ("wrong keyword", "Bearer \(key.reveal())"),
                ] {
                    var headers = HTTPFields()
                    if let value { headers[.authorization] = value }
                    try await client.execute(uri: "/api/protected", method: .get, headers: headers) { res in
                        #expect(res.status == .unauthorized, "\(label)")
                        #expect(res.headers[.wwwAuthenticate] == "Api-Key", "\(label)")
                        #expect(String(buffer: res.body).contains(#""error":{"message":"#), "\(label)")
                    }
                }
                try await client.execute(uri: "/public", method: .get) { res in #expect(res.status == .ok) }
            }
        }
    }

    @Test("scopes as a hummingbird-auth policy: composed with anyOf, through APIKeyAuthorizationMiddleware", arguments: TestDatabase.all)
    func scopePolicy(database: TestDatabase) async throws {
        try await withFluent(database, migrations: APIKeyMigrations.all) { fluent in
            let keys = APIKeys(fluent: fluent, settings: APIKeySettings(scopes: DeclaredScopes(TestScope.self)))
            let router = Router(context: BasicAPIKeyRequestContext<APIKey.Identity>.self)
            router.add(middleware: APIKeyAuthenticator(keys))
            router.group("reports").add(middleware: APIKeyAuthorizationMiddleware(anyOf {
                ScopePolicy<APIKey, TestScope>(.scope(.write))
                ClosureAuthorizationPolicy { (key: APIKey.Identity, _) in key.name == "ops" }
            })).get { _, _ in "ok" }
            let manager = keys.manager()
            let (_, writer) = try await manager.createKey(name: "writer", scopes: [TestScope.write])
            let (_, ops) = try await manager.createKey(name: "ops")
            let (_, reader) = try await manager.createKey(name: "reader", scopes: [TestScope.read])
            try await Application(router: router).test(.router) { client in
                for (key, status) in [(writer, HTTPResponse.Status.ok), (ops, .ok), (reader, .forbidden)] {
                    try await client.execute(uri: "/reports", method: .get, headers: [.authorization: "Api-Key \(key.reveal())"]) { res in
                        #expect(res.status == status)
                    }
                }
                try await client.execute(uri: "/reports", method: .get) { res in #expect(res.status == .unauthorized) }
            }
        }
    }

    @Test("a key store that does not answer is 503, never a grant and never a 500")
    func storeDown() async throws {
        // No migration: every lookup fails, as with a database that is down.
        try await withKeys(.sqlite, migrate: false) { fluent, keys in
            let router = Router(context: BasicAPIKeyRequestContext<APIKey.Identity>.self)
            router.add(middleware: APIKeyAuthenticator(keys))
            router.group("api").add(middleware: HasAPIKey()).get("protected") { _, _ in "granted" }
            try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/api/protected", method: .get, headers: [.authorization: "Api-Key abcdefgh." + String(repeating: "a", count: 32)]) { res in
                    #expect(res.status == .serviceUnavailable)
                    #expect(res.headers[.wwwAuthenticate] == nil)
                }
                try await client.execute(uri: "/api/protected", method: .get) { res in
                    #expect(res.status == .unauthorized, "no key: nothing to check")
                }
            }
        }
    }

    @Test("a custom header, and a custom key model whose identity carries its details", arguments: TestDatabase.all)
    func customHeaderAndModel(database: TestDatabase) async throws {
        try await withFluent(database, migrations: [CreateHeroes()]) { fluent in
            let hero = Hero(name: "Batman")
            try await hero.create(on: fluent.db())
            let keys = APIKeys(fluent: fluent, keySource: .header(.custom("X-Api-Key")))
            let (_, key) = try await keys.manager(HeroAPIKey.self).createKey(name: "batmobile") { $0.$hero.id = hero.id! }

            let router = Router(context: BasicAPIKeyRequestContext<HeroAPIKey.Identity>.self)
            router.add(middleware: APIKeyAuthenticator(keys))
            router.add(middleware: HasAPIKey())
            router.get("hero") { _, context in try context.requireIdentity().heroID.uuidString }
            try await Application(router: router).test(.router) { client in
                try await client.execute(uri: "/hero", method: .get, headers: [HTTPField.Name("X-Api-Key")!: key.reveal()]) { res in
                    #expect(String(buffer: res.body) == hero.id!.uuidString)
                }
                try await client.execute(uri: "/hero", method: .get, headers: [.authorization: "Api-Key \(key.reveal())"]) { res in
                    #expect(res.status == .unauthorized, "the key is read from X-Api-Key only")
                    #expect(res.headers[.wwwAuthenticate] == #"Api-Key header="X-Api-Key""#, "the challenge names the header to use")
                }
            }
        }
    }

    /// Who a request is when keys and users both authenticate.
    struct Caller: Sendable {
        var key: APIKey.Identity?
        var user: String?
    }

    /// Signs in a user from `X-User`, standing in for a session or bearer authenticator.
    struct UserAuthenticator: AuthenticatorMiddleware {
        typealias Context = BasicAPIKeyRequestContext<Caller>
        func authenticate(request: Request, context: Context) async throws -> Caller? {
            request.headers[HTTPField.Name("X-User")!].map { Caller(key: context.identity?.key, user: $0) }
        }
    }

    @Test("composition with hummingbird-auth policies: a key or a user, a key and a user, no user, object checks; refusals as the Vapor side decides")
    func composition() async throws {
        try await withKeys(.sqlite) { fluent, keys in
            let (_, key) = try await keys.manager().createKey(name: "partner")
            let router = Router(context: BasicAPIKeyRequestContext<Caller>.self)
            router.add(middleware: UserAuthenticator())
            router.add(middleware: APIKeyAuthenticator(keys, model: APIKey.self) { key, earlier in
                Caller(key: key, user: earlier?.user)
            })
            router.group("either").add(middleware: APIKeyAuthorizationMiddleware(ClosureAuthorizationPolicy { (_: Caller, _) in true }))
                .get { _, _ in "in" }
            router.group("both").add(middleware: APIKeyAuthorizationMiddleware(ClosureAuthorizationPolicy { (caller: Caller, _) in caller.key != nil && caller.user != nil }))
                .get { _, _ in "in" }
            router.group("keys-only").add(middleware: APIKeyAuthorizationMiddleware(Not(ClosureAuthorizationPolicy { (caller: Caller, _) in caller.user != nil })))
                .get { _, _ in "in" }
            // An object-level check in the handler: only the document's owner may read it.
            router.get("documents/:owner") { _, context in
                let document = try context.parameters.require("owner")
                try await context.checkObjectPermissions(document) { caller, owner in caller.key?.name == owner || caller.user == owner }
                return "yours"
            }
            let withKey: HTTPFields = [.authorization: "Api-Key \(key.reveal())"]
            let withUser: HTTPFields = [HTTPField.Name("X-User")!: "ada"]
            var withBoth = withKey
            withBoth[HTTPField.Name("X-User")!] = "ada"
            let badKey: HTTPFields = [.authorization: "Api-Key garbage"]
            let expectations: [(String, HTTPFields, HTTPResponse.Status)] = [
                ("/either", withKey, .ok), ("/either", withUser, .ok), ("/either", [:], .unauthorized), ("/either", badKey, .unauthorized),
                ("/both", withBoth, .ok), ("/both", withKey, .forbidden), ("/both", withUser, .forbidden),
                ("/keys-only", withKey, .ok), ("/keys-only", withUser, .forbidden), ("/keys-only", [:], .unauthorized),
                ("/documents/partner", withKey, .ok), ("/documents/ada", withUser, .ok), ("/documents/someone", withKey, .forbidden),
                ("/documents/partner", [:], .unauthorized),
            ]
            try await Application(router: router).test(.router) { client in
                for (path, headers, status) in expectations {
                    try await client.execute(uri: path, method: .get, headers: headers) { res in
                        #expect(res.status == status, "\(path) with \(headers)")
                        if status == .unauthorized { #expect(res.headers[.wwwAuthenticate] == "Api-Key") }
                    }
                }
            }
        }
    }

    /// Who a request is when two key models authenticate on one group.
    enum AnyKey: Sendable {
        case standard(APIKey.Identity)
        case hero(HeroAPIKey.Identity)
    }

    @Test("HasAPIKey requires the route's own model: another model's key, or a key the identity closure turned down, does not pass", arguments: TestDatabase.all)
    func requiresTheRoutesModel(database: TestDatabase) async throws {
        try await withFluent(database, migrations: APIKeyMigrations.all + [CreateHeroes()]) { fluent in
            let hero = Hero(name: "Batman")
            try await hero.create(on: fluent.db())
            let keys = APIKeys(fluent: fluent)
            let (_, key) = try await keys.manager().createKey(name: "standard")
            let (_, heroKey) = try await keys.manager(HeroAPIKey.self).createKey(name: "batmobile") { $0.$hero.id = hero.id! }
            let (_, turnedDown) = try await keys.manager().createKey(name: "turned down")

            let router = Router(context: BasicAPIKeyRequestContext<AnyKey>.self)
            router.add(middleware: APIKeyAuthenticator(keys, model: APIKey.self) { key, earlier in
                key.name == "turned down" ? nil : .standard(key)
            })
            router.add(middleware: APIKeyAuthenticator(keys, model: HeroAPIKey.self) { key, earlier in .hero(key) })
            router.group("standard").add(middleware: HasAPIKey(APIKey.self)).get { _, _ in "standard" }
            router.group("heroes").add(middleware: HasAPIKey(HeroAPIKey.self)).get { _, _ in "hero" }
            let expectations: [(String, PlaintextAPIKey, HTTPResponse.Status)] = [
                ("/standard", key, .ok), ("/heroes", heroKey, .ok),
                // A valid key of the other model: credentials were accepted, the rule says no.
                ("/standard", heroKey, .forbidden), ("/heroes", key, .forbidden),
                // The app's identity closure turned it down: a refused key.
                ("/standard", turnedDown, .unauthorized), ("/heroes", turnedDown, .unauthorized),
            ]
            try await Application(router: router).test(.router) { client in
                for (path, presented, status) in expectations {
                    try await client.execute(uri: path, method: .get, headers: [.authorization: "Api-Key \(presented.reveal())"]) { res in
                        #expect(res.status == status, "\(path) with \(presented.prefix)")
                    }
                }
            }
        }
    }

    @Test("a second key model is one more group: its key is kept beside the context's identity, with its details, and required by its routes", arguments: TestDatabase.all)
    func secondModelBesideTheIdentity(database: TestDatabase) async throws {
        try await withFluent(database, migrations: APIKeyMigrations.all + [CreateHeroes()]) { fluent in
            let hero = Hero(name: "Batman")
            try await hero.create(on: fluent.db())
            let keys = APIKeys(fluent: fluent)
            let (_, key) = try await keys.manager().createKey(name: "standard")
            let (_, heroKey) = try await keys.manager(HeroAPIKey.self).createKey(name: "batmobile") { $0.$hero.id = hero.id! }

            // The context's identity is the built-in model's; heroes are added without touching it.
            let router = Router(context: BasicAPIKeyRequestContext<APIKey.Identity>.self)
            router.group("standard").add(middleware: APIKeyAuthenticator(keys)).add(middleware: HasAPIKey())
                .get { _, context in try context.requireAPIKey(APIKey.self).name }
            router.group("heroes").add(middleware: APIKeyAuthenticator(keys, model: HeroAPIKey.self)).add(middleware: HasAPIKey(HeroAPIKey.self))
                .get { _, context in
                    let key = try context.requireAPIKey(HeroAPIKey.self)
                    return "\(key.name) \(key.heroID == hero.id!) \(context.identity == nil) \(context.apiKey(APIKey.self) == nil)"
                }
            router.group("unguarded").add(middleware: APIKeyAuthenticator(keys, model: HeroAPIKey.self))
                .get { _, context in try context.requireAPIKey(HeroAPIKey.self).name }
            let expectations: [(String, String?, HTTPResponse.Status, String?)] = [
                ("/standard", key.reveal(), .ok, "standard"),
                ("/heroes", heroKey.reveal(), .ok, "batmobile true true true"),
                ("/heroes", key.reveal(), .unauthorized, nil),
                ("/standard", heroKey.reveal(), .unauthorized, nil),
                // Without HasAPIKey, requireAPIKey refuses as HasAPIKey would.
                ("/unguarded", nil, .unauthorized, nil),
                ("/unguarded", heroKey.reveal(), .ok, "batmobile"),
            ]
            try await Application(router: router).test(.router) { client in
                for (path, presented, status, body) in expectations {
                    let headers: HTTPFields = presented.map { [.authorization: "Api-Key \($0)"] } ?? [:]
                    try await client.execute(uri: path, method: .get, headers: headers) { res in
                        #expect(res.status == status, "\(path)")
                        if let body { #expect(String(buffer: res.body) == body) }
                        if status == .unauthorized { #expect(res.headers[.wwwAuthenticate] == "Api-Key") }
                    }
                }
            }
        }
    }

    @Test("with the key store down, every policy is 503 for a request whose key could not be checked: Not, and, or, object checks")
    func undecidedThroughPolicies() async throws {
        // No migration: every lookup fails, as with a database that is down.
        try await withKeys(.sqlite, migrate: false) { fluent, keys in
            let router = Router(context: BasicAPIKeyRequestContext<Caller>.self)
            router.add(middleware: UserAuthenticator())
            router.add(middleware: APIKeyAuthenticator(keys, model: APIKey.self) { key, earlier in
                Caller(key: key, user: earlier?.user)
            })
            let hasKey = ClosureAuthorizationPolicy { (caller: Caller, _) in caller.key != nil }
            let hasUser = ClosureAuthorizationPolicy { (caller: Caller, _) in caller.user != nil }
            router.group("not-key").add(middleware: APIKeyAuthorizationMiddleware(Not(hasKey))).get { _, _ in "in" }
            router.group("user-and-not-key").add(middleware: APIKeyAuthorizationMiddleware(allOf { hasUser; Not(hasKey) })).get { _, _ in "in" }
            router.group("key-or-user").add(middleware: APIKeyAuthorizationMiddleware(anyOf { hasKey; hasUser })).get { _, _ in "in" }
            router.group("keys").add(middleware: HasAPIKey(APIKey.self)).get { _, _ in "in" }
            router.get("object") { _, context in
                try await context.checkObjectPermissions("document") { caller, _ in caller.key == nil }
                return "in"
            }
            let withBoth: HTTPFields = [.authorization: "Api-Key abcdefgh." + String(repeating: "a", count: 32), HTTPField.Name("X-User")!: "ada"]
            try await Application(router: router).test(.router) { client in
                for path in ["/not-key", "/user-and-not-key", "/key-or-user", "/keys", "/object"] {
                    try await client.execute(uri: path, method: .get, headers: withBoth) { res in
                        #expect(res.status == .serviceUnavailable, "\(path): a signed-in user whose key could not be checked")
                    }
                    // Without a key there is nothing to check: the policies decide as usual.
                    try await client.execute(uri: path, method: .get, headers: [HTTPField.Name("X-User")!: "ada"]) { res in
                        #expect(res.status == (path == "/keys" ? .unauthorized : .ok), "\(path) without a key")
                    }
                }
            }
        }
    }

    @Test("stored dates no calendar expects: infinity is never, -infinity is expired, text that is no date is refused, nothing crashes", arguments: TestDatabase.all)
    func strangeDates(database: TestDatabase) async throws {
        try await withKeys(database) { fluent, keys in
            let sql = try #require(fluent.db() as? any SQLDatabase)
            let sqlite = sql.dialect.name == "sqlite"
            let manager = keys.manager()
            var cases: [(PlaintextAPIKey, HTTPResponse.Status)] = []
            for (stored, status) in [(sqlite ? "9e999" : "'infinity'", HTTPResponse.Status.ok), (sqlite ? "-9e999" : "'-infinity'", .unauthorized)]
                + (sqlite ? [("'soon'", .unauthorized)] : []) {
                let (_, key) = try await manager.createKey(name: "strange")
                try await sql.raw("UPDATE api_keys SET expires_at = \(unsafeRaw: stored) WHERE prefix = \(bind: key.prefix)").run()
                cases.append((key, status))
            }
            let router = Router(context: BasicAPIKeyRequestContext<APIKey.Identity>.self)
            router.add(middleware: APIKeyAuthenticator(keys))
            router.add(middleware: HasAPIKey()).get("check") { _, _ in "in" }
            let checks = cases
            try await Application(router: router).test(.router) { client in
                for (key, status) in checks {
                    try await client.execute(uri: "/check", method: .get, headers: [.authorization: "Api-Key \(key.reveal())"]) { res in
                        #expect(res.status == status)
                    }
                }
            }
        }
    }
}
