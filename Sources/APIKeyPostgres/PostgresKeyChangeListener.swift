public import APIKeyFluent
public import Logging
public import PostgresNIO
import PostgresKit

/// Hears every change to key tables on a PostgreSQL database as it commits, whoever made it, by
/// listening on ``APIKeyFluent/APIKeyChange/channel`` over a connection of its own. The tables
/// announce their changes once ``APIKeyFluent/NotifyAPIKeyChanges`` has run.
///
/// ```swift
/// app.migrations.add(NotifyAPIKeyChanges(table: APIKey.schema))
/// try app.apiKeys.watchChanges(PostgresKeyChangeListener(url: databaseURL, logger: app.logger))
/// ```
///
/// When the connection drops (a database restart), it reconnects with a growing pause (up to
/// ``maximumRetryDelay``) and then reports ``APIKeyFluent/APIKeyChange/anything``, since
/// notifications sent meanwhile are lost; until then the caches' time to live bounds what goes
/// unnoticed.
public struct PostgresKeyChangeListener: APIKeyChangeWatcher {
    /// Where to connect.
    public let configuration: PostgresConnection.Configuration
    /// The longest pause between two connection attempts.
    public let maximumRetryDelay: Duration
    private let logger: Logger

    /// A listener that connects with `configuration`.
    public init(configuration: PostgresConnection.Configuration, maximumRetryDelay: Duration = .seconds(2), logger: Logger) {
        self.configuration = configuration
        self.maximumRetryDelay = maximumRetryDelay
        self.logger = logger
    }

    /// A listener for the database at `url` (`postgres://user:password@host:port/database`, as
    /// Fluent's PostgreSQL driver reads it).
    ///
    /// - Throws: When `url` is not a PostgreSQL URL.
    public init(url: String, maximumRetryDelay: Duration = .seconds(2), logger: Logger) throws {
        self.init(configuration: try SQLPostgresConfiguration(url: url).coreConfiguration, maximumRetryDelay: maximumRetryDelay, logger: logger)
    }

    /// Listens until the task is cancelled.
    public func watch(_ report: @escaping @Sendable (APIKeyChange) -> Void) async {
        var delay = Duration.milliseconds(100)
        var connectionID = 0
        while !Task.isCancelled {
            connectionID += 1
            do {
                let connection = try await PostgresConnection.connect(configuration: configuration, id: connectionID, logger: logger)
                do {
                    try await connection.listen(on: APIKeyChange.channel) { notifications in
                        // Changes made while nobody listened are unknown: forget everything once.
                        report(.anything)
                        delay = .milliseconds(100)
                        logger.debug("Listening for API key changes")
                        for try await notification in notifications {
                            report(.key(prefix: notification.payload))
                        }
                    }
                    try await connection.close()
                } catch {
                    try? await connection.close()
                    throw error
                }
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning(
                    "Not listening for API key changes; other instances' revocations are noticed when cache entries expire until it reconnects",
                    metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, maximumRetryDelay)
        }
    }
}
