import APIKeyExampleShared
import APIKeyDjango
import APIKeyFluent
import APIKeyHummingbird
import FluentKit
import Foundation
import Logging

/// The example's database, as `DATABASE_URL` says (see ExampleEnvironment.swift), migrated and
/// seeded on open.
enum ExampleDatabase: CommandDatabase {
    static func open(logger: Logger) async throws -> FluentService {
        let fluent = FluentService(logger: logger)
        let location = try ExampleDatabaseURL.location()
        do {
            try location.use(on: fluent.databases)
            fluent.migrations.add(try KeySchema.current().migrations)
            try await fluent.migrate()
            try await seedOrganizations(on: fluent.db())
        } catch let error as ConfigurationError {
            await fluent.shutdown()
            throw error
        } catch {
            await fluent.shutdown()
            throw ConfigurationError.databaseUnavailable(location)
        }
        return fluent
    }

    /// Runs `body` with the opened database, and closes it.
    static func withDatabase(logger: Logger, _ body: (any Database) async throws -> Void) async throws {
        let fluent = try await open(logger: logger)
        do {
            try await body(fluent.db())
            await fluent.shutdown()
        } catch {
            await fluent.shutdown()
            throw error
        }
    }
}
