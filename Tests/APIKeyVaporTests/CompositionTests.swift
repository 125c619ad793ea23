import APIKeyVapor
import Fluent
import Foundation
import TestSupport
import Testing
import VaporTesting

/// Upstream's test_permissions_combination.py, test_permissions_custom.py and
/// test_test_project.py, plus the 403 and object-level rules of DRF's composition.
@Suite("Composed and custom permissions")
struct CompositionTests {
    static func key(_ key: PlaintextAPIKey) -> HTTPHeaders { ["Authorization": "Api-Key \(key.reveal())"] }

    @Test("a valid key that a further rule refuses gets 403, not 401", arguments: TestDatabase.all)
    func validButForbidden(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            registerTestRoutes(app)
            let (_, key) = try await APIKeyManager(on: app.db).createKey(name: "k")
            try await app.testing().test(.GET, "api/both", headers: Self.key(key)) { res in
                #expect(res.status == .forbidden)
                #expect(res.headers.first(name: .wwwAuthenticate) == nil)
            }
            var both = Self.key(key)
            both.add(name: "X-User", value: "ada")
            try await app.testing().test(.GET, "api/both", headers: both) { res in #expect(res.status == .ok) }
            try await app.testing().test(.GET, "api/both") { res in #expect(res.status == .unauthorized) }
            try await app.testing().test(.GET, "api/anonymous") { res in #expect(res.status == .ok) }
            try await app.testing().test(.GET, "api/anonymous", headers: ["X-User": "ada"]) { res in #expect(res.status == .forbidden) }
        }
    }

    @Test("object permissions: A & B needs both objects checks; A | B follows DRF 3.14's (A.hp and A.hop) or (B.hp and B.hop)",
          arguments: TestDatabase.all)
    func objectPermissions(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            registerTestRoutes(app)
            let (_, key) = try await APIKeyManager(on: app.db).createKey(name: "ada")
            try await app.testing().test(.GET, "api/documents/ada", headers: Self.key(key)) { res in #expect(res.status == .ok) }
            try await app.testing().test(.GET, "api/documents/bob", headers: Self.key(key)) { res in #expect(res.status == .forbidden) }
            // HasAPIKey grants every object, so the OR grants both.
            try await app.testing().test(.GET, "api/shared/bob", headers: Self.key(key)) { res in #expect(res.status == .ok) }
            // Without a key, OwnerOnly's has_permission grants but its object check refuses.
            try await app.testing().test(.GET, "api/shared/bob") { res in #expect(res.status == .unauthorized) }
        }
    }

    @Test("test_test_project_routes: public needs no key; protected and protected/object accept one", arguments: TestDatabase.all)
    func projectRoutes(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            registerTestRoutes(app)
            let (_, key) = try await APIKeyManager(on: app.db).createKey(name: "test")
            try await app.testing().test(.GET, "api/public") { res in
                #expect(res.status == .ok)
                #expect(res.body.string.contains("Hello, world!"))
            }
            try await app.testing().test(.GET, "api/protected", headers: Self.key(key)) { res in #expect(res.status == .ok) }
            try await app.testing().test(.GET, "api/protected/object", headers: Self.key(key)) { res in #expect(res.status == .ok) }
        }
    }
}
