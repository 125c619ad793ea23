public import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit
public import Testing

/// The databases every integration test runs against: SQLite always; PostgreSQL when
/// `APIKEY_TEST_POSTGRES_URL` names a server (scripts/test.sh starts one), and always in CI, where
/// its absence is a failure, not a skip.
public enum TestDatabase: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    public var testDescription: String { rawValue }

    public static let postgresURL = ProcessInfo.processInfo.environment["APIKEY_TEST_POSTGRES_URL"]

    public static let all: [TestDatabase] = {
        if postgresURL != nil || ProcessInfo.processInfo.environment["CI"] == "true" { return [.sqlite, .postgres] }
        print("⚠️  APIKEY_TEST_POSTGRES_URL is not set: PostgreSQL tests are skipped (run scripts/test.sh to include them)")
        return [.sqlite]
    }()

    /// A fresh, empty database of this kind: how to configure it, under which id, and what
    /// removes it afterwards. `shared`: one that several connection pools can open, as separate
    /// processes would (SQLite in a file rather than in memory). A request waits up to a minute for
    /// a connection: tests that start 200 tasks at once run on loaded CI machines too.
    public func make(shared: Bool = false) async throws -> FreshDatabase {
        switch self {
        case .sqlite where shared:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("apikey-\(UUID().uuidString).sqlite").path
            return FreshDatabase(configuration: .sqlite(.file(path), connectionPoolTimeout: .seconds(60)), id: .sqlite, location: path) {
                for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            }
        case .sqlite:
            return FreshDatabase(configuration: .sqlite(.memory, connectionPoolTimeout: .seconds(60)), id: .sqlite, location: ":memory:", drop: {})
        case .postgres:
            guard let url = Self.postgresURL else {
                Issue.record("APIKEY_TEST_POSTGRES_URL must be set in CI")
                throw FreshDatabase.Unavailable()
            }
            let name = "apikey_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
            try await Self.administer(url) { sql in try await sql.raw("CREATE DATABASE \(ident: name)").run() }
            var components = URLComponents(string: url)!
            components.path = "/" + name
            // A request waits up to a minute for a connection: stress tests queue hundreds of
            // queries on one, and ThreadSanitizer slows each one down severalfold.
            let configuration = try DatabaseConfigurationFactory.postgres(url: components.string!, connectionPoolTimeout: .seconds(60))
            return FreshDatabase(configuration: configuration, id: .psql, location: components.string!) {
                try? await Self.administer(url) { sql in try await sql.raw("DROP DATABASE IF EXISTS \(ident: name) WITH (FORCE)").run() }
            }
        }
    }

    /// Runs `work` on the server's default database, for CREATE and DROP DATABASE.
    private static func administer(_ url: String, _ work: (any SQLDatabase) async throws -> Void) async throws {
        let databases = Databases(threadPool: .singleton, on: MultiThreadedEventLoopGroup.singleton)
        databases.use(try .postgres(url: url), as: .psql)
        do {
            try await work(databases.database(logger: Logger(label: "test-admin"), on: MultiThreadedEventLoopGroup.singleton.any()) as! any SQLDatabase)
        } catch {
            await databases.shutdownAsync()
            throw error
        }
        await databases.shutdownAsync()
    }
}

/// A database made for one test.
public struct FreshDatabase: Sendable {
    /// How to reach it.
    public let configuration: DatabaseConfigurationFactory
    /// The id to use it under.
    public let id: DatabaseID
    /// Its URL (PostgreSQL) or file path (SQLite).
    public let location: String
    /// Removes it.
    public let drop: @Sendable () async -> Void

    struct Unavailable: Error {}
}

/// Runs `test` with a fresh database of `kind`, migrated with `migrations`, through FluentKit
/// alone: no web framework.
public func withTestDatabase(
    _ kind: TestDatabase, migrations: [any Migration], logger: Logger = Logger(label: "test"),
    _ test: (any Database) async throws -> Void
) async throws {
    let fresh = try await kind.make()
    let databases = Databases(threadPool: .singleton, on: MultiThreadedEventLoopGroup.singleton)
    databases.use(fresh.configuration, as: fresh.id)
    let eventLoop = MultiThreadedEventLoopGroup.singleton.any()
    do {
        let registered = Migrations()
        registered.add(migrations)
        let migrator = Migrator(databases: databases, migrations: registered, logger: logger, on: eventLoop, migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
        try await test(databases.database(logger: logger, on: eventLoop)!)
    } catch {
        await databases.shutdownAsync()
        await fresh.drop()
        throw error
    }
    await databases.shutdownAsync()
    await fresh.drop()
}
