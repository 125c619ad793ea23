import APIKeyManagement
import APIKeyVapor
import APIKeyVaporManagement
import Fluent
import FluentPostgresDriver
import PostgresKit
import PostgresNIO
import Foundation
import NIOHTTP1
import TestSupport
import Vapor
import VaporTesting

/// A signed-in user, from `X-User`.
struct User: Authenticatable {
    let name: String
}

struct VaporUserAuthenticator: AsyncRequestAuthenticator {
    func authenticate(request: Request) async throws {
        guard let value = request.headers.first(name: "X-User") else { return }
        request.auth.login(User(name: value))
    }
}

struct Document: Sendable {
    let owner: String
}

/// Grants every request, but only the documents named after the key.
struct OwnerOnly: RoutePermission {
    func hasPermission(_ request: Request) async throws -> Bool { true }
    func hasObjectPermission(_ request: Request, object: any Sendable) async throws -> Bool {
        (object as? Document)?.owner == request.apiKey?.name
    }
}

/// ``TestRoutes`` on Vapor.
struct VaporServer: TestServer {
    let app: Application

    var database: any Database { app.db }

    func forgetCache() { app.apiKeys.forget(.anything) }

    var events: APIKeyEvents { app.apiKeys.events }

    func writeUsage() async { await app.apiKeys.writeUsage() }

    func manager<Model: APIKeyModel>(_ model: Model.Type) -> APIKeyManager<Model> { app.apiKeys.manager(model) }

    func send(_ method: String, _ path: String, headers: [(String, String)], body: String?) async throws -> TestResponse {
        let response = try await app.testing().sendRequest(
            HTTPMethod(rawValue: method), path, headers: HTTPHeaders(headers), body: body.map { ByteBuffer(string: $0) })
        var fields: [String: [String]] = [:]
        for (name, value) in response.headers { fields[name.lowercased(), default: []].append(value) }
        return TestResponse(status: Int(response.status.code), headers: fields, body: response.body.string)
    }

    static func routes(_ app: Application) {
        let api = app.grouped("api")
        api.get("public") { _ in "open" }
        api.grouped(HasAPIKey()).get("protected") { req in "Hello, \(try req.requireAPIKey().name)!" }
        api.grouped(HasAPIKey()).get("logged") { req in
            req.logger.info("handled")
            req.logger.info("handled", metadata: ["api_key_prefix": "own"])
            return "logged"
        }
        api.grouped(HasAPIKey(HeroAPIKey.self)).get("heroes") { req in "Hello, \(try req.requireAPIKey(HeroAPIKey.self).name)!" }
        let users = api.grouped(VaporUserAuthenticator())
        users.grouped(HasAPIKey() | IsAuthenticated<User>()).get("either") { req in req.apiKey?.name ?? req.auth.get(User.self)?.name ?? "?" }
        users.grouped(HasAPIKey() & IsAuthenticated<User>()).get("both") { _ in "both" }
        users.grouped(HasAPIKey() & OwnerOnly()).get("documents", ":owner") { req in
            try await req.checkObjectPermissions(Document(owner: req.parameters.get("owner") ?? ""))
            return "yours"
        }
        api.grouped(HasAPIKey(requiring: TestScope.read)).get("reports") { req in "reports for \(try req.requireAPIKey().name)" }
        api.grouped(HasAPIKey(requiring: TestScope.write)).post("reports") { _ in "created" }
        api.grouped(HasAPIKey(requiring: .all(.any(TestScope.read, .write), .not(.sandbox)))).get("live") { _ in "live" }
        api.get("errors", ":code") { req -> String in throw TestRoutes.managerError(req.parameters.get("code") ?? "") }
    }
}

func withVaporServer(_ database: TestDatabase, _ options: ServerOptions, _ test: @Sendable (any TestServer) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    app.logger = options.logger
    var fresh: FreshDatabase?
    do {
        if options.databaseDown {
            app.databases.use(
                .postgres(configuration: .init(hostname: "127.0.0.1", port: 1, username: "nobody", password: "x", database: "none", tls: .disable),
                          connectionPoolTimeout: .seconds(2)),
                as: .psql)
        } else {
            fresh = try await database.make()
            app.databases.use(fresh!.configuration, as: fresh!.id)
            app.migrations.add(APIKeyMigrations.all + [CreateHeroes(), CreateAPIKeyIdempotency()])
            try await app.autoMigrate()
        }
        switch options.keySource {
        case .header(let header): app.apiKeys.keySource = .header(header)
        case .cookie: app.apiKeys.keySource = .custom { req in req.cookies["api_key"].map { .key($0.string) } ?? .missing }
        }
        app.apiKeys.settings = options.settings
        VaporServer.routes(app)
        app.apiKeys.mountLeakReports(at: "api", "leaked-keys", reporting: options.leakReporting, models: APIKey.self, HeroAPIKey.self)
        try app.apiKeys.mountManagement(at: "api", "v1")
        try await test(VaporServer(app: app))
    } catch {
        try? await app.asyncShutdown()
        await fresh?.drop()
        throw error
    }
    try await app.asyncShutdown()
    await fresh?.drop()
}
