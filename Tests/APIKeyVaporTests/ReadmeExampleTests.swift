import APIKeyVapor
import Fluent
import FluentSQLiteDriver
import Foundation
import Testing
import Vapor
import VaporTesting

// README.md's Vapor example, verbatim (the test below checks that it is).
func configure(_ app: Application) async throws {
    app.databases.use(.sqlite(.file("db.sqlite")), as: .sqlite)
    app.migrations.add(CreateAPIKeys())
    try await app.autoMigrate()

    app.grouped(HasAPIKey()).get("hello") { req in
        "Hello, \(try req.requireAPIKey().name)!"
    }
}
// End of README.md's Vapor example.

@Suite("README")
struct ReadmeExampleTests {
    @Test("the README's Vapor example is this file's, and works as written")
    func vaporExample() async throws {
        let here = try String(contentsOfFile: #filePath, encoding: .utf8)
        let readme = try String(contentsOfFile: URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("README.md").path, encoding: .utf8)
        let example = here.components(separatedBy: "// README.md's Vapor example, verbatim (the test below checks that it is).\n")[1]
            .components(separatedBy: "// End of README.md's Vapor example.")[0]
        #expect(readme.contains(example))

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
