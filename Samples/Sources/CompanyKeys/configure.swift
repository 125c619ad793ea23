import APIKeyVapor
import CompanyModel
import Fluent
import FluentSQLiteDriver
import Vapor

func configure(_ app: Application) async throws {
    app.databases.use(.sqlite(.file(Environment.get("DATABASE_PATH") ?? "db.sqlite")), as: .sqlite)
    app.migrations.add(CreateCompanies(), SeedCompanies(), CreateAPIKeyUsage())
    try await app.autoMigrate()

    // A key of an active company; its name came with the key, no query here.
    app.grouped(HasAPIKey(CompanyAPIKey.self)).get("company") { req in
        let key = try req.auth.require(CompanyAPIKey.Identity.self)
        return "Hello, \(key.companyName)!"
    }
}
