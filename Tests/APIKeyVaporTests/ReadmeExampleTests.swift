// README.md's Vapor example, exactly as the README quotes it (ReadmeTests checks that).
import APIKeyVapor
import Fluent
import FluentSQLiteDriver
import Vapor

func configure(_ app: Application) async throws {
    app.databases.use(.sqlite(.file("db.sqlite")), as: .sqlite)
    app.migrations.add(APIKeyMigrations.all)
    try await app.autoMigrate()

    app.grouped(HasAPIKey()).get("hello") { req in
        "Hello, \(try req.auth.require(APIKey.Identity.self).name)!"
    }
}
// End of README.md's Vapor example.

import Foundation
import Testing
import VaporTesting

@Suite("README's Vapor example")
struct ReadmeExampleTests {
    @Test("works as written")
    func vaporExample() async throws {
        defer { try? FileManager.default.removeItem(atPath: "db.sqlite") }
        try await withApp(configure: configure) { app in
            let (_, key) = try await app.apiKeys.manager().createKey(name: "partner")
            try await app.testing().test(.GET, "hello", headers: ["Authorization": "Api-Key \(key.reveal())"]) { res in
                #expect(res.status == .ok)
                #expect(res.body.string == "Hello, partner!")
            }
            try await app.testing().test(.GET, "hello") { res in #expect(res.status == .unauthorized) }
        }
    }
}
