import APIKeyCore
import APIKeyFluent
import APIKeyTesting
import FluentKit
import Foundation
import TestSupport
import Testing

/// When things go wrong, on both frameworks: a database that does not answer, the manager's and
/// the store's errors, what is logged.
@Suite("Failing closed, on both frameworks")
struct FailureTests {
    @Test("an unreachable database: 503 for a key to check, 401 for no key or garbage (no lookup needed), never 200 or 500", arguments: Framework.allCases)
    func databaseDown(framework: Framework) async throws {
        var options = ServerOptions()
        options.databaseDown = true
        try await withServer(framework, .sqlite, options) { server in
            let key = "abcdEFGH.0123456789abcdefghijABCDEFGHIJkl"
            let down = try await server.get("/api/protected", [("Authorization", "Api-Key \(key)")])
            #expect(down.status == 503 && down.header("WWW-Authenticate") == nil)
            #expect(try await server.get("/api/protected", [("Authorization", "Api-Key garbage")]).status == 401)
            #expect(try await server.get("/api/protected").status == 401)
            #expect(try await server.get("/api/either", [("Authorization", "Api-Key \(key)"), ("X-User", "ada")]).status == 503)
        }
    }

    @Test("the manager's and the store's errors thrown from a handler: 400, 404, 409 and 503, never 500", arguments: Framework.allCases)
    func errorStatuses(framework: Framework) async throws {
        try await withServer(framework, .sqlite) { server in
            for (code, status) in [("invalid_name", 400), ("not_found", 404), ("still_referenced", 409), ("unavailable", 503)] {
                let response = try await server.get("/api/errors/\(code)")
                #expect(response.status == status, "\(code)")
                #expect(!response.body.contains("APIKey"), "no Swift type's name in \(response.body)")
            }
            #expect(try await server.get("/api/errors/not_found").body.contains("No API key has the prefix zzzzzzzz."))
        }
    }

    @Test("refusals are logged with their reason and the prefix, never the key", arguments: Framework.all)
    func logging(framework: Framework, database: TestDatabase) async throws {
        let capture = LogCapture()
        try await withServer(framework, database, .logging(to: capture)) { server in
            let keys = server.manager(APIKey.self)
            let (_, valid) = try await keys.createKey(name: "valid")
            let (_, revoked) = try await keys.createKey(name: "revoked", revoked: true)
            let wrong = valid.prefix + "." + String(repeating: "w", count: 32)
            for presented in [valid.reveal(), revoked.reveal(), wrong, "not-a-key-\(valid.reveal())"] {
                _ = try await server.get("/api/protected", [("Authorization", "Api-Key \(presented)")])
            }
            let refusals = capture.all.filter { $0.message == "API key refused" }
            #expect(refusals.map { $0.metadata["api_key_denial"] } == ["revoked", "mismatch", "malformed"])
            #expect(refusals.map { $0.metadata["api_key_prefix"] } == [revoked.prefix, valid.prefix, "-"])
            let everything = capture.all.map(\.rendered).joined(separator: "\n")
            for secret in [valid, revoked].map({ String($0.reveal().split(separator: ".")[1]) }) + [String(repeating: "w", count: 32)] {
                #expect(!everything.contains(secret))
            }
        }
    }

    @Test("a granted request's later log lines carry its key's prefix, on a miss and on a cache hit (a line's own value wins)", arguments: Framework.all)
    func grantedLinesCarryThePrefix(framework: Framework, database: TestDatabase) async throws {
        let capture = LogCapture()
        try await withServer(framework, database, .logging(to: capture)) { server in
            let (_, key) = try await server.manager(APIKey.self).createKey(name: "logged")
            #expect(try await server.get("/api/logged", key: key).status == 200)
            #expect(try await server.get("/api/logged", key: key).status == 200)  // a cache hit, tagged the same way
            #expect(try await server.get("/api/logged").status == 401)
            let handled = capture.all.filter { $0.message == "handled" }
            #expect(handled.map { $0.metadata["api_key_prefix"] } == [key.prefix, "own", key.prefix, "own"])
        }
    }

    @Test("the manager's changes reach the very cache requests read: a revocation is refused at once", arguments: Framework.all)
    func oneCache(framework: Framework, database: TestDatabase) async throws {
        var options = ServerOptions()
        options.settings.clock = APIKeyTestClock().clock  // stands still: only an invalidation can make the cache forget
        try await withServer(framework, database, options) { server in
            let keys = server.manager(APIKey.self)
            let (record, key) = try await keys.createKey(name: "cached")
            #expect(try await server.get("/api/protected", key: key).status == 200)
            try await keys.revoke(record)
            #expect(try await server.get("/api/protected", key: key).status == 401)
        }
    }
}
