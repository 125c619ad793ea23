public import APIKeyFluent
public import Logging
public import PostgresNIO
import PostgresKit

/// Hears every change to key tables on a PostgreSQL database as it commits, whoever made it, by
/// listening on `APIKeyChange.channel` over a connection of its own. The tables
/// announce their changes once `NotifyAPIKeyChanges` has run.
///
/// ```swift
/// app.migrations.add(NotifyAPIKeyChanges(table: APIKey.schema))
/// try app.apiKeys.watchChanges(PostgresKeyChangeWatcher(url: databaseURL, logger: app.logger))
/// ```
///
/// When the connection drops (a database restart), it reconnects with a growing pause (up to
/// ``maximumRetryDelay``) and then reports `APIKeyChange.anything`, since
/// notifications sent meanwhile are lost; until then the caches' time to live bounds what goes
/// unnoticed.
///
/// A connection can also stop answering without closing: a failover that moves an address, a
/// NAT or firewall that forgets an idle flow. Nothing would ever arrive on it again, silently. So
/// every ``healthCheckInterval`` the listener asks the server a trivial question on the same
/// connection; no answer within ``healthCheckTimeout`` is a dead connection: it logs a warning,
/// closes it, and reconnects as for a dropped one (and forgets everything once back).
public struct PostgresKeyChangeWatcher: APIKeyChangeWatcher {
    /// Where to connect.
    public let configuration: PostgresConnection.Configuration
    /// The longest pause between two connection attempts.
    public let maximumRetryDelay: Duration
    /// How often the connection is checked while it listens.
    public let healthCheckInterval: Duration
    /// How long a check may take before the connection counts as dead.
    public let healthCheckTimeout: Duration
    private let logger: Logger

    /// The `application_name` the listener's connection shows in `pg_stat_activity`, unless its
    /// configuration sets one.
    public static let applicationName = "api-key-change-watcher"

    /// A listener that connects with `configuration`.
    ///
    /// - Parameters:
    ///   - configuration: Where to connect.
    ///   - maximumRetryDelay: The longest pause between two connection attempts.
    ///   - healthCheckInterval: How often the connection is checked while it listens (10 s).
    ///   - healthCheckTimeout: How long a check may take before the connection counts as dead
    ///     (5 s). A dead connection is found within the sum of the two.
    ///   - logger: Where warnings go.
    public init(
        configuration: PostgresConnection.Configuration, maximumRetryDelay: Duration = .seconds(2),
        healthCheckInterval: Duration = .seconds(10), healthCheckTimeout: Duration = .seconds(5), logger: Logger
    ) {
        var configuration = configuration
        // Names the connection in `pg_stat_activity`, so a database administrator can tell the
        // listener from the pool's connections (unless the configuration names it already).
        if !configuration.options.additionalStartupParameters.contains(where: { $0.0 == "application_name" }) {
            configuration.options.additionalStartupParameters.append(("application_name", Self.applicationName))
        }
        self.configuration = configuration
        self.maximumRetryDelay = maximumRetryDelay
        self.healthCheckInterval = healthCheckInterval
        self.healthCheckTimeout = healthCheckTimeout
        self.logger = logger
    }

    /// A listener for the database at `url` (`postgres://user:password@host:port/database`, as
    /// Fluent's PostgreSQL driver reads it).
    ///
    /// ```swift
    /// let listener = try PostgresKeyChangeWatcher(url: databaseURL, logger: app.logger)
    /// ```
    /// - Throws: When `url` is not a PostgreSQL URL.
    public init(
        url: String, maximumRetryDelay: Duration = .seconds(2), healthCheckInterval: Duration = .seconds(10),
        healthCheckTimeout: Duration = .seconds(5), logger: Logger
    ) throws {
        self.init(
            configuration: try SQLPostgresConfiguration(url: url).coreConfiguration, maximumRetryDelay: maximumRetryDelay,
            healthCheckInterval: healthCheckInterval, healthCheckTimeout: healthCheckTimeout, logger: logger)
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
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            group.addTask {
                                for try await notification in notifications {
                                    report(.key(prefix: notification.payload))
                                }
                            }
                            group.addTask { try await checkHealth(of: connection) }
                            // Whichever ends first (the connection closed, or stopped answering)
                            // ends the other.
                            try await group.next()
                            group.cancelAll()
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

    /// Asks the server a trivial question every ``healthCheckInterval``, for as long as the task
    /// runs; throws when it does not answer within ``healthCheckTimeout``, after closing the
    /// connection (which ends the question still waiting, and the listening).
    private func checkHealth(of connection: PostgresConnection) async throws {
        while true {
            try await Task.sleep(for: healthCheckInterval)
            let answered = try await withThrowingTaskGroup(of: Bool.self) { probe in
                probe.addTask {
                    _ = try await connection.query("SELECT 1", logger: logger).collect()
                    return true
                }
                probe.addTask {
                    try await Task.sleep(for: healthCheckTimeout)
                    return false
                }
                let first = try await probe.next() ?? false
                // A query cannot be cancelled: closing the connection is what ends one that waits
                // for a server that will never answer.
                if !first { connection.close().whenComplete { _ in } }
                probe.cancelAll()
                return first
            }
            guard answered else {
                logger.warning(
                    "The PostgreSQL connection that listens for API key changes stopped answering; reconnecting",
                    metadata: ["timeout": "\(healthCheckTimeout)"])
                throw ConnectionStoppedAnswering()
            }
        }
    }
}

/// A listening connection that no longer answers (half-open).
struct ConnectionStoppedAnswering: Error, CustomStringConvertible {
    var description: String { "the connection stopped answering" }
}
