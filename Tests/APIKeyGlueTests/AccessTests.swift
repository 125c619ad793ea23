import APIKeyCore
import APIKeyFluent
import APIKeyTesting
import FluentKit
import Foundation
import TestSupport
import Testing

/// Scopes, suspension, allowlists and metadata on routes, on Vapor and on Hummingbird alike.
@Suite("What a key may do, on both frameworks")
struct AccessTests {
    @Test("a route's scopes: 403 with insufficient_scope naming what is missing; all, any and not", arguments: Framework.all)
    func scopes(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let keys = server.manager(APIKey.self)
            let (_, reader) = try await keys.createKey(name: "reader", scopes: [TestScope.read])
            let (_, writer) = try await keys.createKey(name: "writer", scopes: [TestScope.write])
            let (_, sandbox) = try await keys.createKey(name: "sandbox", scopes: [TestScope.read, .sandbox])
            let (_, none) = try await keys.createKey(name: "none")

            let read = try await server.get("/api/reports", key: reader)
            #expect(read.status == 200 && read.body == "reports for reader")
            let refused = try await server.send("POST", "/api/reports", headers: [("Authorization", "Api-Key \(reader.reveal())")], body: nil)
            #expect(refused.status == 403)
            #expect(refused.header("WWW-Authenticate") == #"Api-Key error="insufficient_scope", scope="reports:write""#)
            #expect(refused.body.contains("The API key does not have the scopes this action requires."))
            #expect(try await server.send("POST", "/api/reports", headers: [("Authorization", "Api-Key \(writer.reveal())")], body: nil).status == 200)
            let noScopes = try await server.get("/api/reports", key: none)
            #expect(noScopes.status == 403 && noScopes.header("WWW-Authenticate") == #"Api-Key error="insufficient_scope", scope="reports:read""#)

            #expect(try await server.get("/api/live", key: reader).status == 200)
            #expect(try await server.get("/api/live", key: writer).status == 200)
            let live = try await server.get("/api/live", key: none)
            #expect(live.status == 403)
            #expect(live.header("WWW-Authenticate") == #"Api-Key error="insufficient_scope", scope="reports:read reports:write""#, "any of: each alternative")
            let kept = try await server.get("/api/live", key: sandbox)
            #expect(kept.status == 403, "not: a sandbox key stays off")
            #expect(kept.header("WWW-Authenticate") == #"Api-Key error="insufficient_scope""#, "nothing to name")

            // Refusals of the key itself come first, as on any route.
            #expect(try await server.get("/api/reports").status == 401)
            #expect(try await server.get("/api/reports", [("Authorization", "Api-Key zzzzzzzz.\(String(repeating: "a", count: 32))")]).status == 401)
            // The cache answers the second time: the same decision.
            #expect(try await server.get("/api/reports", key: none).status == 403)
            #expect(try await server.get("/api/reports", key: reader).status == 200)
        }
    }

    @Test("a stored scope the app does not declare grants nothing", arguments: Framework.all)
    func undeclaredStoredScope(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let (record, key) = try await server.manager(APIKey.self).createKey(name: "by hand")
            // Written behind the manager's back, as by hand in the database.
            try await APIKey.query(on: server.database).filter(\.$id == record.id!).set(\.$scopes, to: ["reports:*", "REPORTS:READ"]).update()
            server.forgetCache()
            #expect(try await server.get("/api/reports", key: key).status == 403)
            #expect(try await server.get("/api/protected", key: key).status == 200)
        }
    }

    @Test("suspend: refused like a revoked key (401) at once; resume: granted again; a revoked key cannot be resumed", arguments: Framework.all)
    func suspension(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let keys = server.manager(APIKey.self)
            let (record, key) = try await keys.createKey(name: "paused")
            #expect(try await server.get("/api/protected", key: key).status == 200)
            try await keys.suspend(prefixes: [record.prefix])
            KeysOnRoutesTests.expectRefused(try await server.get("/api/protected", key: key), reason: "The API key is not valid.", "suspended")
            try await keys.resume(prefixes: [record.prefix])
            #expect(try await server.get("/api/protected", key: key).status == 200)

            try await keys.suspend(prefixes: [record.prefix])
            try await keys.revoke(record)
            await #expect(throws: APIKeyManagerError.revocationIsFinal) { try await keys.resume(prefixes: [record.prefix]) }
            #expect(try await server.get("/api/protected", key: key).status == 401)
        }
    }

    @Test("an allowlisted key from an unknown address is refused with 403; a key without one is not affected", arguments: Framework.all)
    func allowlist(framework: Framework, database: TestDatabase) async throws {
        // The test clients connect through no socket: the client's address is unknown.
        try await withServer(framework, database) { server in
            let keys = server.manager(APIKey.self)
            let (_, office) = try await keys.createKey(name: "office", allowedIPs: ["203.0.113.0/24"])
            let (_, anywhere) = try await keys.createKey(name: "anywhere")
            let response = try await server.get("/api/protected", key: office, [("X-Forwarded-For", "203.0.113.7")])
            #expect(response.status == 403 && response.header("WWW-Authenticate") == nil)
            #expect(try await server.get("/api/protected", key: anywhere).status == 200)
        }
    }

    @Test("what the manager refuses, in words: undeclared scopes, bad addresses, metadata that is not a small object", arguments: Framework.all)
    func refusedValues(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let keys = server.manager(APIKey.self)
            let scope = try #require(await #expect(throws: APIKeyManagerError.self) { try await keys.createKey(name: "x", scopes: ["reports:delete"]) })
            #expect(scope.code == .invalidField && scope.field == .scopes && scope.statusCode == 400)
            #expect(scope.description == "Unknown scope 'reports:delete'. Declared scopes: reports:read, reports:write, sandbox, keys:manage.")
            let address = try #require(await #expect(throws: APIKeyManagerError.self) { try await keys.createKey(name: "x", allowedIPs: ["10.1.2.3/8"]) })
            #expect(address.field == .allowedIPs && address.description.contains("did you mean 10.0.0.0/8?"))
            let (record, _) = try await keys.createKey(
                name: "tidy", scopes: ["reports:write", "reports:read", "reports:write"], allowedIPs: ["2001:DB8:0:0::1", "10.0.0.0/8"],
                metadata: try APIKeyMetadata(json: #"{"plan":"pro","seats":3}"#))
            let stored = try #require(try await keys.model(prefix: record.prefix))
            #expect(stored.scopes == ["reports:read", "reports:write"], "declaration order, no repeats")
            #expect(stored.allowedIPs == ["2001:db8::1", "10.0.0.0/8"], "written as ranges")
            #expect(stored.metadata?["plan"] == .string("pro") && stored.metadata?["seats"] == .number(3))
            #expect(throws: APIKeyFieldError.self) { try APIKeyMetadata(json: "[1]") }
        }
    }

    @Test("the identity carries the key's scopes and metadata, from the cache as from the database", arguments: Framework.all)
    func identity(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let keys = server.manager(APIKey.self)
            let (_, key) = try await keys.createKey(name: "tagged", scopes: [TestScope.read], metadata: try APIKeyMetadata(["customer": .string("cus_1")]))
            for _ in 0..<2 {
                let identity = try #require(await keys.verify(key.reveal()).identity)
                #expect(identity.scopes == ["reports:read"] && identity.scopes.contains(TestScope.read) && !identity.scopes.contains(TestScope.write))
                #expect(identity.metadata["customer"] == .string("cus_1"))
            }
        }
    }
}
