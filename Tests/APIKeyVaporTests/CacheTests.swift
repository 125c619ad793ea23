import APIKeyVapor
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import TestSupport
import Testing
import VaporTesting

/// The verification cache in a real application: several instances on one database.
@Suite("The verification cache across instances")
struct CacheTests {
    /// Two applications, as two instances behind a load balancer, on one database.
    func withTwoInstances(_ database: TestDatabase, _ test: (Application, Application) async throws -> Void) async throws {
        try await withTestApp(database) { first in
            let second = try await Application.make(.testing)
            do {
                switch database {
                case .sqlite:
                    // An in-memory database is private to its app: share a file instead.
                    let path = FileManager.default.temporaryDirectory.appendingPathComponent("apikey-\(UUID()).sqlite").path
                    defer { try? FileManager.default.removeItem(atPath: path) }
                    let shared = try await Application.make(.testing)
                    shared.databases.use(.sqlite(.file(path)), as: .sqlite)
                    second.databases.use(.sqlite(.file(path)), as: .sqlite)
                    shared.migrations.add(APIKeyMigrations.all)
                    try await shared.autoMigrate()
                    registerTestRoutes(shared)
                    registerTestRoutes(second)
                    try await test(shared, second)
                    try await shared.asyncShutdown()
                case .postgres:
                    // The first instance's fresh database, configured the same way for the second.
                    second.databases.use(try #require(first.databases.configuration(for: .psql)), as: .psql)
                    registerTestRoutes(first)
                    registerTestRoutes(second)
                    try await test(first, second)
                }
            } catch {
                try? await second.asyncShutdown()
                throw error
            }
            try await second.asyncShutdown()
        }
    }

    @Test("revoked on one instance: refused there at once, and on the other within the one-second bound",
          arguments: TestDatabase.all)
    func revocationAcrossInstances(database: TestDatabase) async throws {
        try await withTwoInstances(database) { first, second in
            let (record, key) = try await first.apiKeys.manager().createKey(name: "shared")
            let auth: HTTPHeaders = ["Authorization": "Api-Key \(key.reveal())"]
            for app in [first, second] {
                try await app.testing().test(.GET, "api/protected", headers: auth) { res in #expect(res.status == .ok) }
            }
            try await first.apiKeys.manager().revoke(record)
            try await first.testing().test(.GET, "api/protected", headers: auth) { res in #expect(res.status == .unauthorized) }
            // The second instance may answer from its cache until the entry's second is up.
            try await Task.sleep(for: .milliseconds(1_100))
            try await second.testing().test(.GET, "api/protected", headers: auth) { res in #expect(res.status == .unauthorized) }
        }
    }

    @Test("with the cache off, every request asks the database", arguments: TestDatabase.all)
    func cacheOff(database: TestDatabase) async throws {
        try await withTwoInstances(database) { first, second in
            second.apiKeys.cache = nil
            let (_, key) = try await first.apiKeys.manager().createKey(name: "uncached")
            let auth: HTTPHeaders = ["Authorization": "Api-Key \(key.reveal())"]
            try await second.testing().test(.GET, "api/protected", headers: auth) { res in #expect(res.status == .ok) }
            try await first.apiKeys.manager().revoke(prefixes: [key.prefix])
            try await second.testing().test(.GET, "api/protected", headers: auth) { res in #expect(res.status == .unauthorized) }
        }
    }

    @Test("edits and deletes through the admin or the manager take effect at once", arguments: TestDatabase.all)
    func localChanges(database: TestDatabase) async throws {
        try await withTestApp(database) { app in
            registerTestRoutes(app)
            let keys = app.apiKeys.manager()
            let (record, key) = try await keys.createKey(name: "local")
            let auth: HTTPHeaders = ["Authorization": "Api-Key \(key.reveal())"]
            try await app.testing().test(.GET, "api/protected", headers: auth) { res in #expect(res.status == .ok) }
            let fresh = try #require(try await keys.model(prefix: record.prefix))
            fresh.expiresAt = Date().addingTimeInterval(-1)
            try await keys.update(fresh)
            try await app.testing().test(.GET, "api/protected", headers: auth) { res in #expect(res.status == .unauthorized) }
            try await keys.delete(fresh)
            try await app.testing().test(.GET, "api/protected", headers: auth) { res in #expect(res.status == .unauthorized) }
        }
    }
}
