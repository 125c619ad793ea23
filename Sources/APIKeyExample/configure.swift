import APIKeyDjango
import APIKeyPostgres
import APIKeySQLite
import APIKeyVapor
import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Vapor

/// Wires the example: its database, migrations, routes and commands.
///
/// `API_KEY_SCHEMA=drf` keeps keys in djangorestframework-api-key's own table, so that the
/// example shares a database with a Django service; otherwise they live in `api_keys`.
func configure(_ app: Application) async throws {
    switch Environment.get("API_KEY_SCHEMA") ?? "default" {
    case "drf":
        app.migrations.add(CreateDjangoAPIKeys(), NotifyAPIKeyChanges(table: DjangoAPIKey.schema))
        try await configure(app, keys: DjangoAPIKey.self)
    case "default":
        app.migrations.add(CreateAPIKeys(), NotifyAPIKeyChanges(table: APIKey.schema))
        try await configure(app, keys: APIKey.self)
    case let other:
        throw ConfigurationError("API_KEY_SCHEMA must be drf or unset, got \(other)")
    }
}

func configure<Key: APIKeyModel>(_ app: Application, keys: Key.Type) async throws {
    let databaseURL = Environment.get("DATABASE_URL")
    try useDatabase(databaseURL, on: app)
    app.migrations.add(CreateOrganizations(), NotifyAPIKeyChanges(table: OrganizationAPIKey.schema))
    try await AdminLogin.configure(app)
    try await app.autoMigrate()
    try await seedOrganizations(on: app.db)

    app.asyncCommands.use(APIKeysCommand(Key.self), as: "api-keys")
    app.asyncCommands.use(SeedCommand<Key>(), as: "bench-seed")
    try routes(app, keys: Key.self)

    let admin = AdminLogin.routes(app)
    try admin.register(collection: APIKeyAdmin(Key.self, path: "admin"))
    try admin.register(collection: APIKeyAdmin(OrganizationAPIKey.self, path: "admin/organization", title: "Organization API keys", owner: .organization))
    app.get { req in req.redirect(to: "/admin/keys") }
    // Only when serving: commands such as `api-keys create` print nothing else to the terminal.
    if app.environment.arguments.dropFirst().first.map({ $0 == "serve" }) ?? true {
        try await AdminLogin.ensureCredential(on: app)
        // Revocations by other instances and by `api-keys` reach this one's cache at once.
        app.apiKeys.watchChanges(try changeWatcher(for: databaseURL, logger: app.logger))
    }
}

/// `DATABASE_URL` chooses the database: `sqlite:///absolute/path.sqlite`, or
/// `postgres://user:password@host:port/database`. Without it, `api-key-example.sqlite` in the
/// current directory is created or opened.
let defaultSQLitePath = "api-key-example.sqlite"

func useDatabase(_ url: String?, on app: Application) throws {
    guard let url else {
        app.databases.use(.sqlite(.file(defaultSQLitePath)), as: .sqlite)
        return
    }
    if url.hasPrefix("sqlite://") {
        let path = String(url.dropFirst("sqlite://".count))
        guard path.hasPrefix("/") else { throw ConfigurationError("DATABASE_URL must be sqlite:///absolute/path.sqlite, got \(url)") }
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
        // While the database is down, a request waits at most this long for a connection before
        // it is answered 503; Fluent's default is 10 s.
        app.databases.use(try .postgres(url: url, connectionPoolTimeout: .seconds(3)), as: .psql)
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
