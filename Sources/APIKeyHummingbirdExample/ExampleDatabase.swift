import APIKeyDjango
import APIKeyFluent
import APIKeyHummingbird
import APIKeyPostgres
import APIKeySQLite
import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
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
    static let defaultSQLitePath = "api-key-example.sqlite"

    static var url: String? { ProcessInfo.processInfo.environment["DATABASE_URL"] }

    static func open(logger: Logger) async throws -> FluentService {
        let fluent = FluentService(logger: logger)
        do {
            try use(url, on: fluent)
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

    /// What tells this instance of changes that other processes make to keys.
    static func changeWatcher(logger: Logger) throws -> any APIKeyChangeWatcher {
        guard let url else { return SQLiteKeyChangeWatcher(path: defaultSQLitePath, logger: logger) }
        if url.hasPrefix("sqlite://") { return SQLiteKeyChangeWatcher(path: String(url.dropFirst("sqlite://".count)), logger: logger) }
        return try PostgresKeyChangeListener(url: url, logger: logger)
    }

    private static func use(_ url: String?, on fluent: FluentService) throws {
        guard let url else {
            fluent.databases.use(.sqlite(.file(defaultSQLitePath)), as: .sqlite)
            return
        }
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard path.hasPrefix("/") else { throw ConfigurationError("DATABASE_URL must be sqlite:///absolute/path.sqlite, got \(url)") }
            fluent.databases.use(.sqlite(.file(path)), as: .sqlite)
        } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            // While the database is down, a request waits at most this long for a connection
            // before it is answered 503.
            fluent.databases.use(try .postgres(url: url, connectionPoolTimeout: .seconds(3)), as: .psql)
        } else {
            throw ConfigurationError("DATABASE_URL must start with sqlite:// or postgres://")
        }
    }
}

/// A setting that cannot work: the message says what is accepted.
struct ConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
