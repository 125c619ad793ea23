import APIKeyFluent
import Fluent
import TestSupport
import Vapor

/// Runs `test` with an application on a fresh database of `kind`, migrated with `migrations`.
func withTestApp(
    _ kind: TestDatabase,
    migrations: [any Migration] = APIKeyMigrations.all,
    _ test: (Application) async throws -> Void
) async throws {
    let app = try await Application.make(.testing)
    var fresh: FreshDatabase?
    do {
        fresh = try await kind.make()
        app.databases.use(fresh!.configuration, as: fresh!.id)
        app.migrations.add(migrations)
        try await app.autoMigrate()
        try await test(app)
    } catch {
        try? await app.asyncShutdown()
        await fresh?.drop()
        throw error
    }
    try await app.asyncShutdown()
    await fresh?.drop()
}
