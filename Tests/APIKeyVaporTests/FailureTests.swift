import APIKeyVapor
import Fluent
import FluentPostgresDriver
import Foundation
import TestSupport
import Testing
import VaporTesting

/// What happens when things go wrong: the database is unreachable, keys are refused, logs are
/// read.
@Suite("Failing closed and logging")
struct FailureTests {
    /// A PostgreSQL configuration for a port nothing listens on.
    static func unreachable(_ app: Application) throws {
        app.databases.use(
            .postgres(configuration: .init(hostname: "127.0.0.1", port: 1, username: "nobody", password: "x", database: "none", tls: .disable),
                      connectionPoolTimeout: .seconds(2)),
            as: .psql)
    }

    @Test("an unreachable database answers 503, never 200 and never 500")
    func databaseDown() async throws {
        try await withApp { app in
            try Self.unreachable(app)
            registerTestRoutes(app)
            let key = "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"
            try await app.testing().test(.GET, "api/protected", headers: ["Authorization": "Api-Key \(key)"]) { res in
                #expect(res.status == .serviceUnavailable)
            }
            // No lookup is needed to refuse what cannot be a key, nor to ask for one.
            try await app.testing().test(.GET, "api/protected", headers: ["Authorization": "Api-Key garbage"]) { res in
                #expect(res.status == .unauthorized)
            }
            try await app.testing().test(.GET, "api/protected") { res in #expect(res.status == .unauthorized) }
            try await app.testing().test(.GET, "api/either", headers: ["Authorization": "Api-Key \(key)"]) { res in
                #expect(res.status == .serviceUnavailable)
            }
            // The authenticator never refuses; the guard after it fails closed with 503, not 401.
            app.grouped(APIKeyAuthenticator(), APIKey.Identity.guardMiddleware()).get("guarded") { _ in "granted" }
            app.grouped(APIKeyAuthenticator()).get("open") { req in req.auth.has(APIKey.Identity.self) ? "key" : "anonymous" }
            try await app.testing().test(.GET, "guarded", headers: ["Authorization": "Api-Key \(key)"]) { res in
                #expect(res.status == .serviceUnavailable)
            }
            try await app.testing().test(.GET, "open", headers: ["Authorization": "Api-Key \(key)"]) { res in
                #expect(res.status == .ok && res.body.string == "anonymous")
            }
        }
    }

    @Test("a permission that could not decide makes the whole expression 503, whatever wraps it: !, &, |")
    func undecidedThroughCombinators() async throws {
        try await withApp { app in
            try Self.unreachable(app)
            let users = app.grouped(UserAuthenticator())
            users.grouped(!HasAPIKey()).get("not-key") { _ in "in" }
            users.grouped(IsAuthenticated<User>() & !HasAPIKey()).get("user-and-not-key") { _ in "in" }
            users.grouped(!HasAPIKey() & IsAuthenticated<User>()).get("not-key-and-user") { _ in "in" }
            users.grouped(HasAPIKey() | IsAuthenticated<User>()).get("key-or-user") { _ in "in" }
            users.grouped(!HasAPIKey() | IsAuthenticated<User>()).get("not-key-or-user") { _ in "in" }
            users.grouped(!(HasAPIKey() & IsAuthenticated<User>())).get("not-both") { _ in "in" }
            users.grouped(!(!HasAPIKey())).get("not-not-key") { _ in "in" }
            users.grouped(APIKeyAuthenticator(), IsAuthenticated<User>() & !HasAPIKey()).get("authenticated-first") { _ in "in" }
            let key = "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"
            let paths = ["not-key", "user-and-not-key", "not-key-and-user", "key-or-user", "not-key-or-user", "not-both", "not-not-key", "authenticated-first"]
            for path in paths {
                try await app.testing().test(.GET, path, headers: ["Authorization": "Api-Key \(key)", "X-User": "ada"]) { res in
                    #expect(res.status == .serviceUnavailable, "\(path): a signed-in user whose key could not be checked")
                }
            }
            // Without a key there is nothing to check: the expressions decide as usual.
            for (path, status) in [("not-key", HTTPStatus.ok), ("user-and-not-key", .ok), ("key-or-user", .ok), ("not-not-key", .unauthorized)] {
                try await app.testing().test(.GET, path, headers: ["X-User": "ada"]) { res in #expect(res.status == status, "\(path) without a key") }
            }
        }
    }

}
