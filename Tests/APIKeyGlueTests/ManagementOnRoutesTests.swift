import APIKeyCore
import APIKeyFluent
import FluentKit
import Foundation
import TestSupport
import Testing

/// The management API (`/api/v1/keys`, from OpenAPI/api-keys.yaml), on Vapor and on Hummingbird
/// alike, on SQLite and PostgreSQL. Owners (an organization's key manages only its keys) are
/// tested end to end on the examples: scripts/example/management_test.py.
@Suite("The management API, on both frameworks")
struct ManagementOnRoutesTests {
    static func headers(_ key: PlaintextAPIKey?, _ more: [(String, String)] = []) -> [(String, String)] {
        (key.map { [("Authorization", "Api-Key \($0.reveal())")] } ?? []) + [("Content-Type", "application/json")] + more
    }

    static func json(_ response: TestResponse) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any], "\(response.body)")
    }

    /// A problem-details answer of `status` and `type`.
    static func expectProblem(_ response: TestResponse, _ status: Int, _ slug: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(response.status == status, "\(response.status) \(response.body)", sourceLocation: sourceLocation)
        #expect(response.header("Content-Type")?.hasPrefix("application/problem+json") == true, sourceLocation: sourceLocation)
        let body = try json(response)
        #expect(body["type"] as? String == "urn:api-keys:problem:\(slug)", "\(response.body)", sourceLocation: sourceLocation)
        #expect(body["status"] as? Int == status && !((body["detail"] as? String) ?? "").isEmpty, sourceLocation: sourceLocation)
    }

    @Test(
        "a key with keys:manage creates (the secret once), reads, changes and revokes keys, and the changes hold at once",
        arguments: Framework.all)
    func manages(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let keys = server.manager(APIKey.self)
            let (_, manager) = try await keys.createKey(name: "ops", scopes: [TestScope.manageKeys, .read])

            let created = try await server.send("POST", "/api/v1/keys", headers: Self.headers(manager), body: #"{"name":"partner","scopes":["reports:read"]}"#)
            #expect(created.status == 201, "\(created.body)")
            let made = try Self.json(created)
            let secret = try #require(made["secret"] as? String)
            let prefix = try #require((made["key"] as? [String: Any])?["prefix"] as? String)
            #expect(secret.hasPrefix(prefix + "."))
            let partner = PlaintextAPIKey(prefix: prefix, secret: String(secret.dropFirst(prefix.count + 1)))
            #expect(try await server.get("/api/protected", key: partner).status == 200)

            let read = try await server.send("GET", "/api/v1/keys/\(prefix)", headers: Self.headers(manager), body: nil)
            #expect(read.status == 200 && !read.body.contains(secret), "a key is never readable again")
            let listed = try await server.send("GET", "/api/v1/keys?limit=10&sort=name", headers: Self.headers(manager), body: nil)
            let names = try #require(try Self.json(listed)["items"] as? [[String: Any]]).compactMap { $0["name"] as? String }
            #expect(names == ["ops", "partner"] && !listed.body.contains(secret))

            let changed = try await server.send("PATCH", "/api/v1/keys/\(prefix)", headers: Self.headers(manager), body: #"{"name":"partner-2","allowed_ips":["203.0.113.0/24"]}"#)
            #expect(changed.status == 200 && changed.body.contains("partner-2"))
            #expect(try await server.get("/api/protected", key: partner).status == 403, "the allowlist holds at once")

            let revoked = try await server.send("POST", "/api/v1/keys/\(prefix)/revoke", headers: Self.headers(manager), body: nil)
            let revokedKey = try Self.json(revoked)
            #expect(revoked.status == 200 && revokedKey["status"] as? String == "revoked")
            #expect(try await server.get("/api/protected", key: partner).status == 401, "revoked at once, the cache too")
            let deleted = try await server.send("DELETE", "/api/v1/keys/\(prefix)", headers: Self.headers(manager), body: nil)
            #expect(deleted.status == 204)
            try Self.expectProblem(try await server.send("GET", "/api/v1/keys/\(prefix)", headers: Self.headers(manager), body: nil), 404, "not-found")
        }
    }

    @Test("no key 401, a key without keys:manage 403, a revoked management key 401 at once; all problem details", arguments: Framework.all)
    func refusals(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let keys = server.manager(APIKey.self)
            let (_, reader) = try await keys.createKey(name: "reader", scopes: [TestScope.read])
            let (ops, manager) = try await keys.createKey(name: "ops", scopes: [TestScope.manageKeys])
            let none = try await server.send("GET", "/api/v1/keys", headers: [], body: nil)
            try Self.expectProblem(none, 401, "unauthorized")
            #expect(none.header("WWW-Authenticate") == "Api-Key")
            try Self.expectProblem(try await server.send("GET", "/api/v1/keys", headers: Self.headers(reader), body: nil), 403, "forbidden")
            #expect(try await server.send("GET", "/api/v1/keys", headers: Self.headers(manager), body: nil).status == 200)
            try await keys.revoke(ops)
            try Self.expectProblem(try await server.send("GET", "/api/v1/keys", headers: Self.headers(manager), body: nil), 401, "unauthorized")
        }
    }

    @Test("no key gives a scope it does not hold; a key cannot change itself", arguments: Framework.all)
    func escalation(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let keys = server.manager(APIKey.self)
            let (ops, manager) = try await keys.createKey(name: "ops", scopes: [TestScope.manageKeys, .read])
            let (writer, _) = try await keys.createKey(name: "writer", scopes: [TestScope.write])
            let (reader, _) = try await keys.createKey(name: "reader", scopes: [TestScope.read])
            for (method, path, body) in [
                ("POST", "/api/v1/keys", #"{"name":"x","scopes":["reports:write"]}"#),
                ("PATCH", "/api/v1/keys/\(reader.prefix)", #"{"scopes":["reports:read","reports:write"]}"#),
                ("POST", "/api/v1/keys/\(writer.prefix)/rotate", #"{"grace_seconds":0}"#),
            ] {
                try Self.expectProblem(try await server.send(method, path, headers: Self.headers(manager), body: body), 403, "scope-escalation")
            }
            #expect(try await keys.model(prefix: reader.prefix)?.scopes == ["reports:read"])
            try Self.expectProblem(
                try await server.send("POST", "/api/v1/keys", headers: Self.headers(manager), body: #"{"name":"x","scopes":["nonsense"]}"#), 422, "invalid-field")
            try Self.expectProblem(
                try await server.send("POST", "/api/v1/keys/\(ops.prefix)/suspend", headers: Self.headers(manager), body: nil), 409, "conflict")
        }
    }

    @Test("a retried create with its Idempotency-Key makes one key and shows its secret once; the key reused for another body is 409", arguments: Framework.all)
    func idempotency(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let (_, manager) = try await server.manager(APIKey.self).createKey(name: "ops", scopes: [TestScope.manageKeys])
            let retry = Self.headers(manager, [("Idempotency-Key", "7b0b8a1e-create")])
            let first = try await server.send("POST", "/api/v1/keys", headers: retry, body: #"{"name":"once"}"#)
            let second = try await server.send("POST", "/api/v1/keys", headers: retry, body: #"{"name":"once"}"#)
            #expect(first.status == 201 && second.status == 200, "\(first.status) \(second.status)")
            let (made, again) = (try Self.json(first), try Self.json(second))
            #expect(made["secret"] != nil && again["secret"] == nil)
            #expect((made["key"] as? [String: Any])?["prefix"] as? String == (again["key"] as? [String: Any])?["prefix"] as? String)
            #expect(try await server.manager(APIKey.self).list(APIKeyQuery(search: "once")).total == 1)
            try Self.expectProblem(try await server.send("POST", "/api/v1/keys", headers: retry, body: #"{"name":"other"}"#), 409, "idempotency-conflict")
        }
    }

    @Test("bad input: 400 saying what is wrong, 404, 405 with Allow; never a 500; the contract is served", arguments: Framework.all)
    func badInput(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let (_, manager) = try await server.manager(APIKey.self).createKey(name: "ops", scopes: [TestScope.manageKeys])
            let cases: [(String, String, String?, Int, String)] = [
                ("POST", "/api/v1/keys", "not json", 400, "invalid-request"),
                ("POST", "/api/v1/keys", "{}", 400, "invalid-request"),
                ("POST", "/api/v1/keys", #"{"name":"x","colour":"red"}"#, 400, "invalid-request"),
                ("POST", "/api/v1/keys", #"{"name":5}"#, 400, "invalid-request"),
                ("POST", "/api/v1/keys", #"{"name":""}"#, 422, "invalid-field"),
                ("POST", "/api/v1/keys", #"{"name":"x","rate_limit":"lots"}"#, 422, "invalid-field"),
                ("POST", "/api/v1/keys", #"{"name":"x","expires_at":"2000-01-01T00:00:00Z"}"#, 422, "invalid-field"),
                ("GET", "/api/v1/keys?limit=0", nil, 400, "invalid-request"),
                ("GET", "/api/v1/keys?limit=ten", nil, 400, "invalid-request"),
                ("GET", "/api/v1/keys?status=lost", nil, 400, "invalid-request"),
                ("GET", "/api/v1/keys?cursor=bogus", nil, 400, "invalid-request"),
                ("GET", "/api/v1/keys/not-a-prefix", nil, 400, "invalid-request"),
                ("GET", "/api/v1/keys/Zz9Zz9Zz", nil, 404, "not-found"),
                ("PATCH", "/api/v1/keys/Zz9Zz9Zz", "{}", 400, "invalid-request"),
                ("POST", "/api/v1/keys/Zz9Zz9Zz/rotate", #"{"grace_seconds":-1}"#, 400, "invalid-request"),
                ("GET", "/api/v1/keys/Zz9Zz9Zz/usage?days=400", nil, 400, "invalid-request"),
                ("PUT", "/api/v1/keys", "{}", 405, "method-not-allowed"),
            ]
            for (method, path, body, status, slug) in cases {
                let response = try await server.send(method, path, headers: Self.headers(manager), body: body)
                try Self.expectProblem(response, status, slug)
                #expect(!response.body.contains("Swift.") && !response.body.contains("DecodingError"), "\(path): \(response.body)")
            }
            for idempotencyKey in ["a b", String(repeating: "k", count: 256)] {
                let sent = try await server.send("DELETE", "/api/v1/keys/Zz9Zz9Zz", headers: Self.headers(manager, [("Idempotency-Key", idempotencyKey)]), body: nil)
                try Self.expectProblem(sent, 400, "invalid-request")
            }
            let plain = try await server.send("GET", "/api/v1/keys", headers: Self.headers(manager, [("Accept", "text/plain")]), body: nil)
            try Self.expectProblem(plain, 406, "not-acceptable")
            let put = try await server.send("PUT", "/api/v1/keys", headers: Self.headers(manager), body: "{}")
            #expect(put.header("Allow") == "GET, POST")
            let contract = try await server.get("/api/v1/openapi.yaml")
            #expect(contract.status == 200 && contract.body.hasPrefix("openapi: 3.1.0"))
        }
    }
}
