// The management API article's code, compiled (ReadmeTests checks every Swift block of the
// articles appears in compiled code, line for line).
import APIKeyManagementClient
import APIKeyVapor
import APIKeyVaporManagement
import Fluent
import Foundation
import OpenAPIURLSession
import Vapor

enum ManagementGuide {
    /// Mounting the API for the built-in model.
    static func mount(_ app: Application) throws {
        app.migrations.add(APIKeyMigrations.all)
        app.migrations.add(CreateAPIKeyIdempotency())
        try app.apiKeys.mountManagement(at: "api", "v1")
        // GET /api/v1/keys, POST /api/v1/keys, … and GET /api/v1/openapi.yaml
    }

    /// The app's own rule in place of the keys:manage scope.
    static func ownRule(_ app: Application) throws {
        var management = APIKeyManagementAPI().managing(APIKey.self)
        management.permits = { caller in caller.scopes.contains("keys:manage") && caller.name.hasPrefix("ops-") }
        try app.apiKeys.mountManagement(management, at: "api", "v1")
    }

    /// The generated client, from another Swift service.
    static func client() async throws {
        let client = Client(
            serverURL: URL(string: "https://keys.example.com/api/v1")!,
            transport: URLSessionTransport(),
            middlewares: [ManagementKeyMiddleware(key: ProcessInfo.processInfo.environment["API_KEY_MANAGEMENT_KEY"] ?? "")])
        let created = try await client.createKey(
            headers: .init(idempotencyKey: UUID().uuidString),
            body: .json(.init(name: "partner-acme", scopes: ["reports:read"])))
        guard case .created(let answer) = created else { return }
        let made = try answer.body.json
        print(made.key.prefix, made.secret ?? "")  // the secret: in this answer only
        let page = try await client.listKeys(query: .init(limit: 25, status: .active)).ok.body.json
        for key in page.items { print(key.prefix, key.name, key.lastUsedAt.map { "\($0)" } ?? "never") }
    }
}
