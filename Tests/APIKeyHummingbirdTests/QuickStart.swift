// The README's Hummingbird quick start, compiled (ReadmeTests checks it line for line).
import APIKeyFluent
import APIKeyHummingbird
import FluentSQLiteDriver
import Hummingbird
import HummingbirdAuth
import Logging

enum HummingbirdQuickStart {
    static func serve(logger: Logger) async throws {
        let fluent = FluentService(logger: logger)
        fluent.databases.use(.sqlite(.file("db.sqlite")), as: .sqlite)
        fluent.migrations.add(APIKeyMigrations.all)
        try await fluent.migrate()
        let apiKeys = APIKeys(fluent: fluent)
        let router = Router(context: BasicAPIKeyRequestContext<APIKey.Identity>.self)
        router.add(middleware: APIKeyAuthenticator(apiKeys))
        router.group("api").add(middleware: HasAPIKey())
            .get("protected") { _, context in "Hello, \(try context.requireIdentity().name)" }
        try await Application(router: router, services: [fluent], logger: logger).runService()
    }
}
