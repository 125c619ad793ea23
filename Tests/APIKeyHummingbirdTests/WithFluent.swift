import APIKeyHummingbird
import FluentKit
import Logging
import TestSupport

/// Runs `test` with a fresh database of `kind` behind a FluentService, migrated.
func withFluent(_ kind: TestDatabase, migrations: [any Migration], _ test: (FluentService) async throws -> Void) async throws {
    let fresh = try await kind.make()
    let fluent = FluentService(logger: Logger(label: "test"))
    fluent.databases.use(fresh.configuration, as: fresh.id)
    fluent.migrations.add(migrations)
    do {
        try await fluent.migrate()
        try await test(fluent)
    } catch {
        await fluent.shutdown()
        await fresh.drop()
        throw error
    }
    await fluent.shutdown()
    await fresh.drop()
}
