import APIKeyCore
import APIKeyFluent
import APIKeyHummingbird
import APIKeyHummingbirdManagement
import APIKeyManagement
import FluentKit
import FluentPostgresDriver
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import HummingbirdTesting
import Logging
import NIOCore
import TestSupport

/// Who a Hummingbird request is: a key of either model, a user, or several.
struct Caller: Sendable {
    var key: APIKey.Identity?
    var hero: HeroAPIKey.Identity?
    var user: String?
}

/// Signs in a user from `X-User`.
struct HummingbirdUserAuthenticator: AuthenticatorMiddleware {
    typealias Context = BasicAPIKeyRequestContext<Caller>
    func authenticate(request: Request, context: Context) async throws -> Caller? {
        request.headers[HTTPField.Name("X-User")!].map { Caller(key: context.identity?.key, hero: context.identity?.hero, user: $0) }
    }
}

/// ``TestRoutes`` on Hummingbird, in its idioms: one authenticator per key model, `HasAPIKey`,
/// and hummingbird-auth's policies for keys combined with users.
struct HummingbirdServer: TestServer {
    let client: any TestClientProtocol
    let apiKeys: APIKeys
    let fluent: FluentService

    var database: any Database { fluent.db() }

    func forgetCache() { apiKeys.forget(.anything) }

    var events: APIKeyEvents { apiKeys.events }

    func writeUsage() async { await apiKeys.writeUsage() }

    func manager<Model: APIKeyModel>(_ model: Model.Type) -> APIKeyManager<Model> { apiKeys.manager(model) }

    func send(_ method: String, _ path: String, headers: [(String, String)], body: String?) async throws -> TestResponse {
        var fields = HTTPFields()
        for (name, value) in headers { fields.append(HTTPField(name: HTTPField.Name(name)!, value: value)) }
        let response = try await client.executeRequest(
            uri: path, method: HTTPRequest.Method(method)!, headers: fields, body: body.map { ByteBuffer(string: $0) })
        var byName: [String: [String]] = [:]
        for field in response.headers { byName[field.name.canonicalName.lowercased(), default: []].append(field.value) }
        return TestResponse(status: response.status.code, headers: byName, body: String(buffer: response.body))
    }

    static func router(_ apiKeys: APIKeys, leakReporting: LeakReporting = LeakReporting()) throws -> Router<BasicAPIKeyRequestContext<Caller>> {
        let router = Router(context: BasicAPIKeyRequestContext<Caller>.self)
        router.add(middleware: HummingbirdUserAuthenticator())
        router.add(middleware: APIKeyAuthenticator(apiKeys, model: APIKey.self) { key, earlier in
            Caller(key: key, hero: earlier?.hero, user: earlier?.user)
        })
        let api = router.group("api")
        api.get("public") { _, _ in "open" }
        apiKeys.mountLeakReports(on: api, at: "leaked-keys", reporting: leakReporting, models: APIKey.self, HeroAPIKey.self)
        try apiKeys.mountManagement(on: api, at: "v1")
        api.group("protected").add(middleware: HasAPIKey(APIKey.self)).get { _, context in
            "Hello, \(try context.requireIdentity().key?.name ?? "?")!"
        }
        api.group("logged").add(middleware: HasAPIKey(APIKey.self)).get { _, context in
            context.logger.info("handled")
            context.logger.info("handled", metadata: ["api_key_prefix": "own"])
            return "logged"
        }
        api.group("heroes")
            .add(middleware: APIKeyAuthenticator(apiKeys, model: HeroAPIKey.self) { hero, earlier in
                Caller(key: earlier?.key, hero: hero, user: earlier?.user)
            })
            .add(middleware: HasAPIKey(HeroAPIKey.self)).get { _, context in
            "Hello, \(try context.requireIdentity().hero?.name ?? "?")!"
        }
        api.group("either").add(middleware: APIKeyAuthorizationMiddleware(ClosureAuthorizationPolicy { (caller: Caller, _) in
            caller.key != nil || caller.user != nil
        })).get { _, context in
            let caller = try context.requireIdentity()
            return caller.key?.name ?? caller.user ?? "?"
        }
        api.group("both").add(middleware: APIKeyAuthorizationMiddleware(ClosureAuthorizationPolicy { (caller: Caller, _) in
            caller.key != nil && caller.user != nil
        })).get { _, _ in "both" }
        api.group("documents").add(middleware: HasAPIKey(APIKey.self)).get(":owner") { _, context in
            let owner = try context.parameters.require("owner")
            try await context.checkObjectPermissions(owner) { caller, owner in caller.key?.name == owner }
            return "yours"
        }
        api.group("reports").add(middleware: HasAPIKey(APIKey.self, requiring: TestScope.read)).get { _, context in
            "reports for \(try context.requireIdentity().key?.name ?? "?")"
        }
        api.group("reports").add(middleware: HasAPIKey(APIKey.self, requiring: TestScope.write)).post { _, _ in "created" }
        api.group("live").add(middleware: HasAPIKey(APIKey.self, requiring: .all(.any(TestScope.read, .write), .not(.sandbox)))).get { _, _ in "live" }
        api.get("errors/:code") { _, context -> String in throw TestRoutes.managerError(try context.parameters.require("code")) }
        return router
    }
}

func withHummingbirdServer(_ database: TestDatabase, _ options: ServerOptions, _ test: @Sendable (any TestServer) async throws -> Void) async throws {
    let fluent = FluentService(logger: options.logger)
    var fresh: FreshDatabase?
    do {
        if options.databaseDown {
            fluent.databases.use(
                .postgres(configuration: .init(hostname: "127.0.0.1", port: 1, username: "nobody", password: "x", database: "none", tls: .disable),
                          connectionPoolTimeout: .seconds(2)),
                as: .psql)
        } else {
            fresh = try await database.make()
            fluent.databases.use(fresh!.configuration, as: fresh!.id)
            fluent.migrations.add(APIKeyMigrations.all + [CreateHeroes(), CreateAPIKeyIdempotency()])
            try await fluent.migrate()
        }
        let keySource: APIKeySource = switch options.keySource {
        case .header(let header): .header(header)
        case .cookie: .custom { request in request.cookies["api_key"].map { .key($0.value) } ?? .missing }
        }
        let apiKeys = APIKeys(fluent: fluent, keySource: keySource, settings: options.settings)
        // Tested through the router alone, the app runs no services: usage is gathered from here
        // on as if `apiKeys` ran as one, and written when a test asks.
        await apiKeys.writeUsage()
        let app = Application(router: try HummingbirdServer.router(apiKeys, leakReporting: options.leakReporting), logger: options.logger)
        try await app.test(.router) { client in
            try await test(HummingbirdServer(client: client, apiKeys: apiKeys, fluent: fluent))
        }
    } catch {
        await fluent.shutdown()
        await fresh?.drop()
        throw error
    }
    await fluent.shutdown()
    await fresh?.drop()
}
