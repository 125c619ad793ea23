public import FluentKit
public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle

/// FluentKit for a Hummingbird service, without Vapor: the databases, their migrations, and a
/// clean shutdown as a swift-service-lifecycle service. Small enough to copy and adapt.
///
/// ```swift
/// let fluent = FluentService(logger: logger)
/// fluent.databases.use(.sqlite(.file("db.sqlite")), as: .sqlite)
/// fluent.migrations.add(APIKeyMigrations.all)
/// fluent.migrations.add(NotifyAPIKeyChanges(table: APIKey.schema))
/// try await fluent.migrate()
/// var app = Application(router: router)
/// app.addServices(fluent)   // closes every connection when the app shuts down
/// ```
public final class FluentService: Service {
    /// The configured databases: `use(_:as:)` them before serving.
    public let databases: Databases
    /// What ``migrate()`` prepares.
    public let migrations = Migrations()
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger

    /// Databases on NIO's shared event loops and thread pool (where SQLite's calls run).
    public init(
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        threadPool: NIOThreadPool = .singleton, logger: Logger
    ) {
        self.databases = Databases(threadPool: threadPool, on: eventLoopGroup)
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// A database handle for one request or job, logging to `logger`; the default database
    /// unless `id` names another. Cheap: connections come from the database's pool.
    ///
    /// ```swift
    /// APIKeyAuthenticator(keys, database: { fluent.db(logger: $0) })
    /// ```
    public func db(_ id: DatabaseID? = nil, logger: Logger? = nil) -> any Database {
        guard let database = databases.database(id, logger: logger ?? self.logger, on: eventLoopGroup.any()) else {
            // A programming error, like an unknown route: the id was never configured.
            preconditionFailure("No database is configured as \(id.map { "\($0)" } ?? "the default"): call databases.use(_:as:) first")
        }
        return database
    }

    /// Prepares every migration that has not run yet.
    public func migrate() async throws {
        let migrator = Migrator(databases: databases, migrations: migrations, logger: logger, on: eventLoopGroup.any(), migrationLogLevel: .debug)
        try await migrator.setupIfNeeded().get()
        try await migrator.prepareBatch().get()
    }

    /// Waits for the application to shut down, then closes every connection.
    public func run() async throws {
        try? await gracefulShutdown()
        await databases.shutdownAsync()
    }

    /// Closes every connection now: for code that runs without a service group (tests, commands).
    public func shutdown() async {
        await databases.shutdownAsync()
    }
}
