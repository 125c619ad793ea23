import APIKeyVapor
import Fluent
import FluentSQLiteDriver
import Vapor

func configure(_ app: Application) async throws {
    app.databases.use(.sqlite(.file(Environment.get("DATABASE_PATH") ?? "db.sqlite")), as: .sqlite)
    app.migrations.add(APIKeyMigrations.all)
    try await app.autoMigrate()

    app.grouped(HasAPIKey()).get("hello") { req in
        "Hello, \(try req.auth.require(APIKey.Identity.self).name)!"
    }
}
