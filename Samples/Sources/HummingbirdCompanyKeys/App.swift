import APIKeyCommands
import APIKeyHummingbird
import CompanyModel
import FluentKit
import FluentSQLiteDriver
import Foundation
import Hummingbird
import HummingbirdAuth
import Logging

@main
enum App {
    static func main() async throws {
        // `app api-keys create --company Acme --name ci`
        if CommandLine.arguments.dropFirst().first == "api-keys" {
            await APIKeysCommand<CompanyKeys>.main(Array(CommandLine.arguments.dropFirst(2)))
        }

        let logger = Logger(label: "app")
        let fluent = try await openDatabase(logger: logger)
        let apiKeys = APIKeys(fluent: fluent)
        // The context's identity is a company's key.
        let router = Router(context: BasicAPIKeyRequestContext<CompanyAPIKey.Identity>.self)
        router.add(middleware: APIKeyAuthenticator(apiKeys))
        router.group("company").add(middleware: HasAPIKey())
            .get { _, context in "Hello, \(try context.requireIdentity().companyName)!" }
        let port = ProcessInfo.processInfo.environment["PORT"].flatMap(Int.init) ?? 8080
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), services: [fluent, apiKeys], logger: logger)
        try await app.runService()
    }
}

/// The app's database: FluentKit without Vapor, migrated.
func openDatabase(logger: Logger) async throws -> FluentService {
    let fluent = FluentService(logger: logger)
    fluent.databases.use(.sqlite(.file(ProcessInfo.processInfo.environment["DATABASE_PATH"] ?? "db.sqlite")), as: .sqlite)
    fluent.migrations.add(CreateCompanies(), SeedCompanies(), CreateAPIKeyUsage())
    do {
        try await fluent.migrate()
    } catch {
        await fluent.shutdown()  // its connection pools must be closed before it goes away
        throw error
    }
    return fluent
}

/// The key commands' access to the companies' keys.
enum CompanyKeys: CompanyKeyCommands {
    static func withManager(_ body: (APIKeyManager<CompanyAPIKey>) async throws -> Void) async throws {
        let fluent = try await openDatabase(logger: Logger(label: "api-keys"))
        do {
            try await body(APIKeys(fluent: fluent).manager(CompanyAPIKey.self))
        } catch {
            await fluent.shutdown()
            throw error
        }
        await fluent.shutdown()
    }
}
