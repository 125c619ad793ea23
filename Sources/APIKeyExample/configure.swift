import APIKeyExampleShared
import APIKeyCommands
import APIKeyDjango
import APIKeyVapor
import APIKeyVaporAdmin
import Fluent
import Vapor

/// Wires the example: its database, migrations, routes and commands.
///
/// `API_KEY_SCHEMA=drf` keeps keys in djangorestframework-api-key's own table, so that the
/// example shares a database with a Django service; otherwise they live in `api_keys`.
func configure(_ app: Application) async throws {
    let schema = try KeySchema.current()
    app.migrations.add(schema.migrations)
    switch schema {
    case .drf: try await configure(app, keys: DjangoAPIKey.self)
    case .standard: try await configure(app, keys: APIKey.self)
    }
}

func configure<Key: APIKeyModel>(_ app: Application, keys: Key.Type) async throws {
    let database = try ExampleDatabaseURL.location()
    try database.use(on: app.databases)
    app.apiKeys.keySource = .header(try exampleKeyHeader())
    app.apiKeys.settings = try exampleKeySettings()
    let serving = app.environment.arguments.dropFirst().first.map { $0 == "serve" } ?? true
    if serving { CommandOutput.terminal.standardError(database.summary) }
    try await AdminLogin.configure(app)
    do {
        try await app.autoMigrate()
        try await seedOrganizations(on: app.db)
    } catch {
        // The driver's own error is in the log; this says what to check.
        throw ConfigurationError.databaseUnavailable(database)
    }

    app.asyncCommands.use(SeedCommand<Key>(), as: "bench-seed")
    try routes(app, keys: Key.self)

    let admin = AdminLogin.routes(app).grouped("admin")
    var keys = APIKeyAdmin(Key.self)
    var organizationKeys = APIKeyAdmin(OrganizationAPIKey.self, title: "Organization API keys", owner: .organization)
    (keys.navigation, keys.signedInAs) = (ExampleAdmin.navigation, { _ in ExampleAdmin.user })
    (organizationKeys.navigation, organizationKeys.signedInAs) = (ExampleAdmin.navigation, { _ in ExampleAdmin.user })
    try admin.register(collection: keys)
    try admin.grouped("organization").register(collection: organizationKeys)
    app.get { req in req.redirect(to: "/admin/keys") }
    // Only when serving: other commands print nothing else to the terminal.
    if serving {
        try await AdminLogin.ensureCredential(on: app)
        // Revocations by other instances and by `api-keys` reach this one's cache at once.
        app.apiKeys.watchChanges(try database.changeWatcher(logger: app.logger))
    }
}
