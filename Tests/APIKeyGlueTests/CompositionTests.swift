import APIKeyCore
import APIKeyFluent
import APIKeyTesting
import FluentKit
import Foundation
import TestSupport
import Testing

/// Keys with users, object-level checks and a custom key model (upstream's
/// test_permissions_combination.py, test_permissions_custom.py), on both frameworks.
@Suite("Keys with other credentials, on both frameworks")
struct CompositionTests {
    @Test("a key or a user; a key and a user (403 for either alone); a refused key with a user still passes 'either'", arguments: Framework.all)
    func keysAndUsers(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let keys = server.manager(APIKey.self)
            let (_, key) = try await keys.createKey(name: "partner")
            let (_, revoked) = try await keys.createKey(name: "revoked", revoked: true)
            let auth = ("Authorization", "Api-Key \(key.reveal())"), user = ("X-User", "ada")
            let cases: [(String, [(String, String)], Int, String?)] = [
                ("/api/either", [auth], 200, "partner"), ("/api/either", [user], 200, "ada"), ("/api/either", [], 401, nil),
                ("/api/either", [("Authorization", "Api-Key \(revoked.reveal())"), user], 200, "ada"),
                ("/api/either", [("Authorization", "Api-Key \(revoked.reveal())")], 401, nil),
                ("/api/both", [auth, user], 200, "both"), ("/api/both", [auth], 403, nil), ("/api/both", [user], 403, nil),
                ("/api/both", [], 401, nil),
            ]
            for (path, headers, status, body) in cases {
                let response = try await server.get(path, headers)
                #expect(response.status == status, "\(path) with \(headers.map(\.0))")
                if let body { #expect(response.body == body) }
                if status == 403 { #expect(response.header("WWW-Authenticate") == nil, "a 403 asks for no credentials") }
                if status == 401 { #expect(response.header("WWW-Authenticate") == "Api-Key") }
            }
        }
    }

    @Test("object-level checks: the key's own documents, 403 for others', 401 without a key", arguments: Framework.all)
    func objectPermissions(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let (_, key) = try await server.manager(APIKey.self).createKey(name: "ada")
            #expect(try await server.get("/api/documents/ada", key: key).status == 200)
            #expect(try await server.get("/api/documents/someone", key: key).status == 403)
            #expect(try await server.get("/api/documents/ada").status == 401)
        }
    }

    @Test("test_hero_api_key_granted, test_retired_hero_denied, test_non_hero_api_key_denied", arguments: Framework.all)
    func customModel(framework: Framework, database: TestDatabase) async throws {
        try await withServer(framework, database) { server in
            let active = Hero(name: "Batman"), retired = Hero(name: "Alfred", retired: true)
            try await active.create(on: server.database)
            try await retired.create(on: server.database)
            let heroes = server.manager(HeroAPIKey.self)
            let (_, heroKey) = try await heroes.createKey(name: "batmobile") { $0.$hero.id = active.id! }
            let (_, retiredKey) = try await heroes.createKey(name: "butler") { $0.$hero.id = retired.id! }
            let (_, plainKey) = try await server.manager(APIKey.self).createKey(name: "plain")
            let granted = try await server.get("/api/heroes", key: heroKey)
            #expect(granted.status == 200 && granted.body == "Hello, batmobile!")
            #expect(try await server.get("/api/heroes", key: retiredKey).status == 401)
            // A valid key of another model: refused on this route (403 where that model's key was accepted).
            #expect([401, 403].contains(try await server.get("/api/heroes", key: plainKey).status))
            #expect(try await server.get("/api/protected", key: heroKey).status == 401)
        }
    }
}
