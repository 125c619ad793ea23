import APIKeyDjango
import APIKeyFluent
import APIKeyHummingbird
import FluentKit
import Foundation
import Logging

/// Which table holds the keys: `api_keys`, or djangorestframework-api-key's with
/// `API_KEY_SCHEMA=drf`, so that the example shares a database with a Django service.
enum KeySchema {
    case standard, drf

    static func current() throws -> KeySchema {
        switch ProcessInfo.processInfo.environment["API_KEY_SCHEMA"] ?? "default" {
        case "default": .standard
        case "drf": .drf
        case let other: throw ConfigurationError("API_KEY_SCHEMA must be drf or unset, got \(other)")
        }
    }
}

/// The example's database, as the Vapor example reads it: `DATABASE_URL` is
/// `sqlite:///absolute/path.sqlite` or `postgres://user:password@host:port/database`; without
/// it, `api-key-example.sqlite` in the current directory. Migrated and seeded on open.
enum ExampleDatabase {
    static var url: String? { ProcessInfo.processInfo.environment["DATABASE_URL"] }

    static func open(logger: Logger) async throws -> FluentService {
        let fluent = FluentService(logger: logger)
        do {
            try useDatabase(url, on: fluent.databases)
            switch try KeySchema.current() {
            case .standard: fluent.migrations.add(CreateAPIKeys(), NotifyAPIKeyChanges(table: APIKey.schema))
            case .drf: fluent.migrations.add(CreateDjangoAPIKeys(), NotifyAPIKeyChanges(table: DjangoAPIKey.schema))
            }
            fluent.migrations.add(CreateOrganizations(), NotifyAPIKeyChanges(table: OrganizationAPIKey.schema))
            fluent.migrations.add(CreateAdminCredential(), CreateAdminSessions())
            try await fluent.migrate()
            try await seedOrganizations(on: fluent.db())
        } catch {
            await fluent.shutdown()
            throw error
        }
        return fluent
    }

    /// Runs `body` with the opened database, and closes it.
    static func with<T>(logger: Logger, _ body: (FluentService) async throws -> T) async throws -> T {
        let fluent = try await open(logger: logger)
        do {
            let result = try await body(fluent)
            await fluent.shutdown()
            return result
        } catch {
            await fluent.shutdown()
            throw error
        }
    }
}
