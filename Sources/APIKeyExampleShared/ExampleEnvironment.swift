// Shared by both examples: what the
// example's environment variables mean. FluentKit and its drivers only.
package import APIKeyCore
import APIKeyDjango
import APIKeyManagement
package import APIKeyFluent
import APIKeyPostgres
import APIKeySQLite
package import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
package import Logging

/// A setting the example cannot use: printed as one line, `Error: <what was wrong and what is
/// accepted>`, and the process exits with status 1.
package struct ConfigurationError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }

    /// The database named by the settings could not be opened or did not answer. The driver's
    /// own error is in the log above; this says what to check.
    package static func databaseUnavailable(_ location: ExampleDatabaseURL.Location) -> ConfigurationError {
        ConfigurationError("the database could not be used: \(location.name). Check that it exists and runs, and that DATABASE_URL names it.")
    }
}

/// `API_KEY_SCHEMA`: which table holds the keys, `api_keys`, or djangorestframework-api-key's
/// with `API_KEY_SCHEMA=drf`, so that the example shares a database with a Django service.
package enum KeySchema {
    case standard, drf

    package static func current() throws -> KeySchema {
        switch ProcessInfo.processInfo.environment["API_KEY_SCHEMA"] ?? "" {
        case "": .standard
        case "drf": .drf
        case let other: throw ConfigurationError("API_KEY_SCHEMA must be drf (djangorestframework-api-key's table) or unset (api_keys), got \(other)")
        }
    }

    /// Every migration of the example, in order, whatever the framework: the key table, the
    /// organizations and their keys, and the admin's sign-in. Django's table gets the revocation
    /// guard (which Django works with); ours has it from its creation.
    package var migrations: [any Migration] {
        let keys: [any Migration] = switch self {
        case .standard: APIKeyMigrations.all + [NotifyAPIKeyChanges(table: APIKey.schema)]
        case .drf: [
                CreateDjangoAPIKeys(), GuardRevocation(table: DjangoAPIKey.schema), NotifyAPIKeyChanges(table: DjangoAPIKey.schema),
                CreateAPIKeyUsage(), CreateAPIKeyRateBudgets(), CreateAPIKeyEvents(),
            ]
        }
        return keys + [
            CreateOrganizations(), NotifyAPIKeyChanges(table: OrganizationAPIKey.schema), CreateAdminCredential(), CreateAdminSessions(),
            AddOrganizationKeyRotation(), AddOrganizationKeyRevocationTime(), AddOrganizationKeyAccess(),
            CreateAPIKeyIdempotency(),
        ]
    }
}

/// `API_KEY_HEADER`: the header that carries the key. Unset (or `Authorization`), it is
/// `Authorization: Api-Key <key>`; any other name, e.g. `X-Api-Key`, carries the key alone.
package func exampleKeyHeader() throws -> KeyHeader {
    let name = ProcessInfo.processInfo.environment["API_KEY_HEADER"] ?? ""
    if name.isEmpty || name.lowercased() == "authorization" { return .authorization() }
    // An HTTP token (RFC 9110): what a header name may be made of.
    let allowed = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
    guard name.count <= 64, name.allSatisfy(allowed.contains) else {
        throw ConfigurationError(
            "API_KEY_HEADER must be a header name of at most 64 letters, digits and - _ . characters, such as X-Api-Key, got \(name)")
    }
    return .custom(name)
}

/// `DATABASE_URL`: `sqlite:///absolute/path.sqlite` or
/// `postgres://user:password@host:port/database`. Without it, `api-key-example.sqlite` in the
/// current directory is created or opened.
package enum ExampleDatabaseURL {
    package static let defaultSQLitePath = "api-key-example.sqlite"

    package static var current: String? { ProcessInfo.processInfo.environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 } }

    /// Where the database is, checked before anything opens it.
    package enum Location {
        case sqlite(path: String)
        case postgres(url: String, display: String)
    }

    package static func location(_ url: String? = current) throws -> Location {
        guard let url else {
            return .sqlite(path: URL(fileURLWithPath: defaultSQLitePath).standardizedFileURL.path)
        }
        let accepted = "sqlite:///absolute/path.sqlite or postgres://user:password@host:port/database"
        if url.hasPrefix("sqlite://") {
            let path = String(url.dropFirst("sqlite://".count))
            guard path.hasPrefix("/") else {
                throw ConfigurationError("DATABASE_URL must be \(accepted) (a SQLite path must be absolute), got \(url)")
            }
            return .sqlite(path: path)
        }
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            guard let parts = URLComponents(string: url), let host = parts.host, !host.isEmpty else {
                throw ConfigurationError("DATABASE_URL must be \(accepted), got a PostgreSQL URL without a host")
            }
            let database = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
            // Never the password.
            let user = parts.user.map { " as \($0)" } ?? ""
            return .postgres(url: url, display: "PostgreSQL database \(database.isEmpty ? "(default)" : database) on \(host):\(parts.port ?? 5432)\(user)")
        }
        let scheme = url.split(separator: ":", maxSplits: 1).first.map(String.init) ?? url
        throw ConfigurationError("DATABASE_URL must be \(accepted), got a URL starting with \(scheme.prefix(20))")
    }
}

extension ExampleDatabaseURL.Location {
    /// One line for the terminal: which database this process uses.
    package var summary: String {
        switch self {
        case .sqlite(let path) where !FileManager.default.fileExists(atPath: path):
            "Database: \(name) (new; set DATABASE_URL to use another)"
        default: "Database: \(name)"
        }
    }

    /// `SQLite file /path`, or `PostgreSQL database db on host:port as user` (never the password).
    package var name: String {
        switch self {
        case .sqlite(let path): "SQLite file \(path)"
        case .postgres(_, let display): display
        }
    }

    package func use(on databases: Databases) throws {
        switch self {
        case .sqlite(let path):
            databases.use(.sqlite(.file(path)), as: .sqlite)
        case .postgres(let url, _):
            // While the database is down, a request waits at most this long for a connection
            // before it is answered 503; Fluent's default is 10 s.
            do {
                databases.use(try .postgres(url: url, connectionPoolTimeout: .seconds(3)), as: .psql)
            } catch {
                throw ConfigurationError("DATABASE_URL is not a PostgreSQL URL that can be used: postgres://user:password@host:port/database is accepted")
            }
        }
    }

    /// What tells this instance of changes that other processes make to keys in this database.
    package func changeWatcher(logger: Logger) throws -> any APIKeyChangeWatcher {
        switch self {
        case .sqlite(let path): SQLiteKeyChangeWatcher(path: path, logger: logger)
        case .postgres(let url, _): try PostgresKeyChangeWatcher(url: url, logger: logger)
        }
    }
}
