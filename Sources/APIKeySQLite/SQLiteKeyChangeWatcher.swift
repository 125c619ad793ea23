public import APIKeyFluent
public import Logging
import SQLiteNIO

/// Notices every change that another connection commits to an SQLite file's key tables (another
/// instance, the command line, Django) on a connection of its own: every ``interval`` it reads
/// SQLite's change counter, `PRAGMA data_version` (the file's header, no table), and when the file
/// changed, the key tables' own count of changes that `NotifyAPIKeyChanges` keeps. SQLite does not
/// say which rows changed, so a change to a key table makes the caches forget everything; other
/// writes to the file (usage, sessions, the app's tables) do not. Without `NotifyAPIKeyChanges`,
/// every write to the file counts.
///
/// ```swift
/// try app.apiKeys.watchChanges(SQLiteKeyChangeWatcher(path: "/var/lib/app/db.sqlite", logger: app.logger))
/// ```
public struct SQLiteKeyChangeWatcher: APIKeyChangeWatcher {
    /// The database file.
    public let path: String
    /// How often the change counter is read: the longest a change goes unnoticed.
    public let interval: Duration
    private let logger: Logger

    /// A watcher of the file at `path`, read every `interval` (25 ms by default).
    public init(path: String, interval: Duration = .milliseconds(25), logger: Logger) {
        self.path = path
        self.interval = interval
        self.logger = logger
    }

    /// Watches until the task is cancelled.
    public func watch(_ report: @escaping @Sendable (APIKeyChange) -> Void) async {
        while !Task.isCancelled {
            do {
                let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
                do {
                    try await watch(connection, report)
                } catch {
                    await close(connection)
                    throw error
                }
                await close(connection)
            } catch {
                guard !Task.isCancelled else { return }
                logger.warning(
                    "Not watching the SQLite file for API key changes; other processes' revocations are noticed when cache entries expire until it can",
                    metadata: ["path": .string(path), "error": "\(String(reflecting: error))"])
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func watch(_ connection: SQLiteConnection, _ report: @Sendable (APIKeyChange) -> Void) async throws {
        var seen = try await dataVersion(connection)
        var seenKeyChanges = try await keyChanges(connection)
        // Changes made while nobody watched are unknown: forget everything once.
        report(.anything)
        while !Task.isCancelled {
            try await Task.sleep(for: interval)
            let version = try await dataVersion(connection)
            guard version != seen else { continue }
            seen = version
            let keyChanges = try await keyChanges(connection)
            // No count (no NotifyAPIKeyChanges): any write may have been to a key.
            if keyChanges == nil || keyChanges != seenKeyChanges {
                seenKeyChanges = keyChanges
                report(.anything)
            }
        }
    }

    /// How many changes the key tables' triggers counted, or `nil` when there is no count.
    private func keyChanges(_ connection: SQLiteConnection) async throws -> Int? {
        let table = ChangeNotifications.counterTable
        let exists = try await connection.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(table)])
        guard !exists.isEmpty else { return nil }
        let column = ChangeNotifications.counterColumn
        return try await connection.query("SELECT \(column) FROM \(table) WHERE id = 1").first?.column(column)?.integer.map { Int($0) }
    }

    /// Closes `connection` even when the watching task was cancelled (SQLiteNIO refuses work
    /// from a cancelled task, and a connection left open traps when it is freed).
    private func close(_ connection: SQLiteConnection) async {
        await Task { try? await connection.close() }.value
    }

    /// The connection's view of the file's change counter: it changes when another connection
    /// commits.
    private func dataVersion(_ connection: SQLiteConnection) async throws -> Int? {
        try await connection.query("PRAGMA data_version").first?.column("data_version")?.integer.map { Int($0) }
    }
}
