import APIKeyFluent
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Testing
import Vapor

/// The databases every integration test runs against: SQLite always; PostgreSQL when
/// `APIKEY_TEST_POSTGRES_URL` names a server (scripts/test.sh starts one), and always in CI, where
/// its absence is a failure, not a skip.
enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static let postgresURL = ProcessInfo.processInfo.environment["APIKEY_TEST_POSTGRES_URL"]

    static let all: [TestDatabase] = {
        if postgresURL != nil || ProcessInfo.processInfo.environment["CI"] == "true" { return [.sqlite, .postgres] }
        print("⚠️  APIKEY_TEST_POSTGRES_URL is not set: PostgreSQL tests are skipped (run scripts/test.sh to include them)")
        return [.sqlite]
    }()

    /// Points `app` at a fresh, empty database of this kind, and returns what removes it.
    func attach(to app: Application) async throws -> @Sendable () async -> Void {
        switch self {
        case .sqlite:
            app.databases.use(.sqlite(.memory), as: .sqlite)
            return {}
        case .postgres:
            guard let url = Self.postgresURL else {
                Issue.record("APIKEY_TEST_POSTGRES_URL must be set in CI")
                throw Abort(.internalServerError)
            }
            let admin = DatabaseID(string: "postgres-admin")
            app.databases.use(try .postgres(url: url), as: admin, isDefault: false)
            let name = "apikey_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
            let adminSQL = app.db(admin) as! any SQLDatabase
            try await adminSQL.raw("CREATE DATABASE \(ident: name)").run()
            var components = URLComponents(string: url)!
            components.path = "/" + name
            app.databases.use(try .postgres(url: components.string!), as: .psql, isDefault: true)
            return { try? await adminSQL.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run() }
        }
    }
}

/// Runs `test` with an application on a fresh database of `kind`, migrated with `migrations`.
func withTestApp(
    _ kind: TestDatabase,
    migrations: [any Migration] = [CreateAPIKeys()],
    _ test: (Application) async throws -> Void
) async throws {
    let app = try await Application.make(.testing)
    var detach: (@Sendable () async -> Void)?
    do {
        detach = try await kind.attach(to: app)
        app.migrations.add(migrations)
        try await app.autoMigrate()
        try await test(app)
    } catch {
        await detach?()
        try? await app.asyncShutdown()
        throw error
    }
    await detach?()
    try await app.asyncShutdown()
}
