// Shared by both examples (Sources/APIKeyHummingbirdExample links to this file): FluentKit and
// its drivers only.
import APIKeyFluent
import APIKeyPostgres
import APIKeySQLite
import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Logging

/// `DATABASE_URL` chooses the database: `sqlite:///absolute/path.sqlite`, or
/// `postgres://user:password@host:port/database`. Without it, `api-key-example.sqlite` in the
/// current directory is created or opened.
let defaultSQLitePath = "api-key-example.sqlite"

func useDatabase(_ url: String?, on databases: Databases) throws {
    guard let url else {
        databases.use(.sqlite(.file(defaultSQLitePath)), as: .sqlite)
        return
    }
    if url.hasPrefix("sqlite://") {
        let path = String(url.dropFirst("sqlite://".count))
        guard path.hasPrefix("/") else { throw ConfigurationError("DATABASE_URL must be sqlite:///absolute/path.sqlite, got \(url)") }
        databases.use(.sqlite(.file(path)), as: .sqlite)
    } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
        // While the database is down, a request waits at most this long for a connection before
        // it is answered 503; Fluent's default is 10 s.
        databases.use(try .postgres(url: url, connectionPoolTimeout: .seconds(3)), as: .psql)
    } else {
        throw ConfigurationError("DATABASE_URL must start with sqlite:// or postgres://")
    }
}

/// What tells this instance of changes that other processes make to keys on the database at `url`.
func changeWatcher(for url: String?, logger: Logger) throws -> any APIKeyChangeWatcher {
    guard let url else { return SQLiteKeyChangeWatcher(path: defaultSQLitePath, logger: logger) }
    if url.hasPrefix("sqlite://") { return SQLiteKeyChangeWatcher(path: String(url.dropFirst("sqlite://".count)), logger: logger) }
    return try PostgresKeyChangeListener(url: url, logger: logger)
}

struct ConfigurationError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
