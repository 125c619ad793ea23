import APIKeyCore
import APIKeyFluent
import APIKeyVapor
import APIKeyVaporTesting
import Fluent
import Foundation
import TestSupport
import Testing
import VaporTesting

/// Vapor's own idioms: the key's identity in `req.auth`, an authenticator that never refuses,
/// guards, chains, and errors that become the right status.
@Suite("The identity on the request, the Vapor way")
struct AuthenticationTests {
    struct Reply: Content {
        let name: String
    }

    @Test("concurrent requests with one key, on cache hits, each get their own identity and their own fresh model; nothing is shared or changed", arguments: TestDatabase.all)
    func independentIdentities(database: TestDatabase) async throws {
        try await withTestApp(database, migrations: [CreateHeroes()]) { app in
            let hero = Hero(name: "Batman")
            try await hero.create(on: app.db)
            app.grouped(HasAPIKey(HeroAPIKey.self)).get("mine") { req in
                let key = try req.auth.require(HeroAPIKey.Identity.self)
                // Loading and changing the model touches this request's copy alone.
                let model = try #require(try await key.model(on: req.db))
                model.name = "changed by one request"
                #expect(key.heroID == model.$hero.id)
                return Reply(name: key.name)
            }
            let (_, key) = try await app.apiKeys.manager(HeroAPIKey.self).createKey(name: "batmobile") { $0.$hero.id = hero.id! }
            try await app.testing().test(.GET, "mine", headers: .apiKey(key)) { res in #expect(res.status == .ok) }  // fills the cache
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<40 {
                    group.addTask {
                        var reply: Reply?
                        try await app.testing().test(.GET, "mine", headers: .apiKey(key)) { res in reply = try res.content.decode(Reply.self) }
                        return try #require(reply)
                    }
                }
                return try await group.reduce(into: [Reply]()) { $0.append($1) }
            }
            #expect(replies.count == 40 && replies.allSatisfy { $0.name == "batmobile" })
            #expect(app.apiKeys.service(HeroAPIKey.self).cacheCount == 1, "answered from the cache")
            #expect(try await HeroAPIKey.query(on: app.db).first()?.name == "batmobile")
        }
    }

    @Test("req.auth.get and require behind the authenticator alone: a bad or missing key leaves the request anonymous, never refused", arguments: TestDatabase.all)
    func authenticatorNeverRefuses(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.grouped(APIKeyAuthenticator()).get("who") { req in req.auth.get(APIKey.Identity.self)?.name ?? "anonymous" }
            let (_, key) = try await app.apiKeys.manager().createKey(name: "partner")
            try await app.testing().test(.GET, "who", headers: .apiKey(key)) { res in #expect(res.body.string == "partner") }
            for headers in [HTTPHeaders.apiKey("garbage"), .apiKey(key.prefix + "." + String(repeating: "x", count: 32)), [:]] {
                try await app.testing().test(.GET, "who", headers: headers) { res in
                    #expect(res.status == .ok && res.body.string == "anonymous")
                }
            }
        }
    }

    @Test("guardMiddleware: the route with a key; without one, the refusal HasAPIKey gives, never a Swift type's name", arguments: TestDatabase.all)
    func guardMiddleware(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            app.grouped(APIKeyAuthenticator(), APIKey.Identity.guardMiddleware()).get("guarded") { req in
                try req.auth.require(APIKey.Identity.self).name
            }
            app.grouped(HasAPIKey()).get("permission") { _ in "ok" }
            let (_, key) = try await app.apiKeys.manager().createKey(name: "guarded")
            try await app.testing().test(.GET, "guarded", headers: .apiKey(key)) { res in #expect(res.body.string == "guarded") }
            for headers in [HTTPHeaders.apiKey("garbage"), [:]] {
                var expected = ""
                try await app.testing().test(.GET, "permission", headers: headers) { res in expected = "\(res.status) \(res.headers.first(name: .wwwAuthenticate) ?? "") \(res.body.string)" }
                try await app.testing().test(.GET, "guarded", headers: headers) { res in
                    #expect(res.status == .unauthorized && !res.body.string.contains("APIKeyIdentity"))
                    #expect("\(res.status) \(res.headers.first(name: .wwwAuthenticate) ?? "") \(res.body.string)" == expected)
                }
            }
        }
    }

    @Test("chained with a user authenticator: a key, a user, or both are logged in; a bad key does not stop the user", arguments: TestDatabase.all)
    func chaining(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let chain = app.grouped(APIKeyAuthenticator(), UserAuthenticator())
            chain.get("whoever") { req in
                [req.auth.get(APIKey.Identity.self)?.name, req.auth.get(User.self)?.name].compactMap { $0 }.joined(separator: "+")
            }
            chain.grouped(User.guardMiddleware()).get("users") { req in try req.auth.require(User.self).name }
            let (_, key) = try await app.apiKeys.manager().createKey(name: "key")
            var both = HTTPHeaders.apiKey(key)
            both.add(name: "X-User", value: "ada")
            try await app.testing().test(.GET, "whoever", headers: both) { res in #expect(res.body.string == "key+ada") }
            var badKeyAndUser = HTTPHeaders.apiKey("garbage")
            badKeyAndUser.add(name: "X-User", value: "ada")
            try await app.testing().test(.GET, "users", headers: badKeyAndUser) { res in #expect(res.body.string == "ada") }
            try await app.testing().test(.GET, "users", headers: .apiKey(key)) { res in #expect(res.status == .unauthorized) }
        }
    }

    @Test("an authenticator before HasAPIKey: the key is verified and logged once per request", arguments: TestDatabase.all)
    func verifiedOnce(database: TestDatabase) async throws {
        let capture = LogCapture()
        try await withTestApp(database) { app in
            app.logger = capture.logger()
            app.grouped(APIKeyAuthenticator(), HasAPIKey()).get("once") { req in try req.requireAPIKey().name }
            try await app.testing().test(.GET, "once", headers: .apiKey("abcdEFGH." + String(repeating: "a", count: 32))) { res in
                #expect(res.status == .unauthorized)
            }
            #expect(capture.all.filter { $0.message == "API key refused" }.count == 1)
        }
    }

    @Test("a request remembers its key's outcome, not a copy of its identity: once logged out, the key is checked again and logged in again", arguments: TestDatabase.all)
    func rememberedAfterLogout(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            let (_, key) = try await app.apiKeys.manager().createKey(name: "remembered")
            app.grouped(HasAPIKey()).get("again") { req in
                req.auth.logout(APIKey.Identity.self)
                let loggedOut = req.apiKey == nil
                let again = await req.apiKeys.authenticate().identity?.name
                return "\(loggedOut) \(again ?? "-") \(req.apiKey?.name ?? "-")"
            }
            try await app.testing().test(.GET, "again", headers: .apiKey(key)) { res in
                #expect(res.status == .ok)
                #expect(res.body.string == "true remembered remembered")
            }
            try await app.testing().test(.GET, "again", headers: .apiKey("abcdEFGH." + String(repeating: "a", count: 32))) { res in
                #expect(res.status == .unauthorized)
            }
        }
    }

    @Test("the app replaces the refusal response; status and challenge come from the refusal")
    func customRefusal() async throws {
        try await withTestApp(.sqlite) { app in
            app.apiKeys.refusalResponse = { refusal, _ in
                let response = Response(status: .init(statusCode: refusal.statusCode), body: .init(string: "refused: \(refusal.reason)"))
                if let challenge = refusal.challenge { response.headers.replaceOrAdd(name: .wwwAuthenticate, value: challenge) }
                return response
            }
            app.grouped(HasAPIKey()).get("custom") { _ in "ok" }
            try await app.testing().test(.GET, "custom") { res in
                #expect(res.status == .unauthorized)
                #expect(res.body.string == "refused: Authentication credentials were not provided.")
                #expect(res.headers.first(name: .wwwAuthenticate) == "Api-Key")
            }
        }
    }

    @Test("the manager's and the store's errors reach clients as 400, 404, 409 and 503, never 500")
    func errorStatuses() async throws {
        try await withTestApp(.sqlite) { app in
            let errors: [String: any Error] = [
                "name": APIKeyManagerError.invalidName("A name is required."), "unknown": APIKeyManagerError.notFound(prefix: "zzzzzzzz"),
                "denied": APIKeyManagerError.denied(.mismatch), "final": APIKeyManagerError.revocationIsFinal,
                "collision": APIKeyManagerError.prefixCollision, "down": APIKeyStoreUnavailable(CancellationError()),
                "referenced": APIKeyManagerError.stillReferenced,
            ]
            for (path, error) in errors { app.get(PathComponent(stringLiteral: path)) { _ -> String in throw error } }
            app.get("require") { req in try req.requireAPIKey().name }
            let expected: [String: (HTTPStatus, String)] = [
                "name": (.badRequest, "A name is required."), "unknown": (.notFound, "No API key has the prefix zzzzzzzz."),
                "denied": (.notFound, "No usable API key matches."), "final": (.conflict, "The API key has been revoked, which cannot be undone."),
                "collision": (.conflict, "No free key prefix was found. Try again; if it keeps happening, use longer prefixes."),
                "down": (.serviceUnavailable, "The API key could not be checked. Try again later."),
                "referenced": (.conflict, "Other records refer to this API key, so it cannot be deleted. Revoke it instead."),
                "require": (.unauthorized, "Authentication credentials were not provided."),
            ]
            for (path, (status, reason)) in expected {
                try await app.testing().test(.GET, path) { res in
                    #expect(res.status == status, "\(path)")
                    #expect(res.body.string.contains(reason), "\(path): \(res.body.string)")
                }
            }
        }
    }

    @Test("settings that cannot work are refused where they are set, and the app keeps what it had")
    func configurationErrors() async throws {
        try await withTestApp(.sqlite) { app in
            #expect(throws: APIKeyConfigurationError.self) { app.apiKeys.cache = try VerificationCachePolicy(capacity: 1) }
            #expect(throws: APIKeyConfigurationError.self) { app.apiKeys.cache = try VerificationCachePolicy(timeToLive: .seconds(-1)) }
            #expect(app.apiKeys.cache == .standard)
            app.apiKeys.cache = try VerificationCachePolicy(timeToLive: .milliseconds(250), capacity: 10)
            #expect(app.apiKeys.service().cacheCapacity == 10)
        }
    }

    @Test("a fixed clock from the test kit expires keys without sleeping")
    func testClock() async throws {
        try await withTestApp(.sqlite) { app in
            let clock = APIKeyTestClock()
            app.apiKeys.clock = clock.clock
            app.grouped(HasAPIKey()).get("clocked") { _ in "ok" }
            let (_, key) = try await app.apiKeys.manager().createKey(name: "ci", expiresAt: clock.now().addingTimeInterval(60))
            try await app.testing().test(.GET, "clocked", headers: .apiKey(key)) { res in #expect(res.status == .ok) }
            clock.advance(by: 61)
            try await app.testing().test(.GET, "clocked", headers: .apiKey(key)) { res in #expect(res.status == .unauthorized) }
        }
    }

    @Test("the manager, the admin's and the commands' changes reach the very cache requests read")
    func oneCache() async throws {
        try await withTestApp(.sqlite) { app in
            app.grouped(HasAPIKey()).get("cached") { _ in "ok" }
            let (_, key) = try await app.apiKeys.manager().createKey(name: "cached")
            try await app.testing().test(.GET, "cached", headers: .apiKey(key)) { res in #expect(res.status == .ok) }
            #expect(app.apiKeys.service().cacheCount == 1)
            _ = await runAPIKeysCommand(app, "revoke", key.prefix)
            #expect(app.apiKeys.service().cacheCount == 0)
            try await app.testing().test(.GET, "cached", headers: .apiKey(key)) { res in #expect(res.status == .unauthorized) }
        }
    }
}
