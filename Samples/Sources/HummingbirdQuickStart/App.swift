import APIKeyCommands
import APIKeyHummingbird
import FluentKit
import FluentSQLiteDriver
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging

@main
enum App {
    static func main() async throws {
        // `app api-keys …`: the key commands. Only the key goes to standard output; a mistake is
        // one `Error:` line and a non-zero exit.
        if CommandLine.arguments.dropFirst().first == "api-keys" {
            await APIKeysCommand<AppKeys>.main(Array(CommandLine.arguments.dropFirst(2)))
        }

        let logger = Logger(label: "app")
        let fluent = try await openDatabase(logger: logger)
        let apiKeys = APIKeys(fluent: fluent)
        let router = Router(context: BasicAPIKeyRequestContext<APIKey.Identity>.self)
        router.add(middleware: APIKeyAuthenticator(apiKeys))
        router.group("api").add(middleware: HasAPIKey())
            .get("protected") { _, context in "Hello, \(try context.requireIdentity().name)!" }
        let port = ProcessInfo.processInfo.environment["PORT"].flatMap(Int.init) ?? 8080
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), services: [fluent, apiKeys], logger: logger)
        try await app.runService()
    }
}

/// The app's database: FluentKit without Vapor, migrated.
func openDatabase(logger: Logger) async throws -> FluentService {
    let fluent = FluentService(logger: logger)
    fluent.databases.use(.sqlite(.file(ProcessInfo.processInfo.environment["DATABASE_PATH"] ?? "db.sqlite")), as: .sqlite)
    fluent.migrations.add(APIKeyMigrations.all)
    do {
        try await fluent.migrate()
    } catch {
        await fluent.shutdown()  // its connection pools must be closed before it goes away
        throw error
    }
    return fluent
}

/// The key commands' access to the app's keys.
enum AppKeys: APIKeyCommandEnvironment {
    static func withManager(_ body: (APIKeyManager<APIKey>) async throws -> Void) async throws {
        let fluent = try await openDatabase(logger: Logger(label: "api-keys"))
        do {
            try await body(APIKeys(fluent: fluent).manager())
        } catch {
            await fluent.shutdown()
            throw error
        }
        await fluent.shutdown()
    }
}
