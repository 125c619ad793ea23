import APIKeyCommands
// The README's code, compiled. ReadmeTests checks that every Swift block of README.md appears
// here (or in Sources/APIKeyExample, or ReadmeExampleTests.swift) line for line, and runs these.
import APIKeyDjango
import APIKeyPostgres
import APIKeySQLite
import APIKeyVapor
import APIKeyVaporAdmin
import APIKeyVaporTesting
import Fluent
import FluentSQLiteDriver
import Foundation
import TestSupport
import Testing
import Vapor
import VaporTesting

enum Guide {
    /// Several instances: the change watchers (PostgreSQL; SQLite in the comment, compiled below).
    static func watchChanges(_ app: Application, databaseURL: String) throws {
        app.migrations.add(APIKeyMigrations.all)
        app.migrations.add(NotifyAPIKeyChanges(table: APIKey.schema))
        app.apiKeys.watchChanges(try PostgresKeyChangeWatcher(url: databaseURL, logger: app.logger))
        // SQLite: app.apiKeys.watchChanges(SQLiteKeyChangeWatcher(path: "/var/lib/app/db.sqlite", logger: app.logger))
    }

    static func watchSQLiteChanges(_ app: Application) {
        app.apiKeys.watchChanges(SQLiteKeyChangeWatcher(path: "/var/lib/app/db.sqlite", logger: app.logger))
    }

    static func issueKey(_ app: Application) async throws -> PlaintextAPIKey {
        let (record, key) = try await app.apiKeys.manager().createKey(name: "partner")
        // key.reveal() is the only time the key exists in plain text: hand it over, don't log it.
        _ = record
        return key
    }

    /// Scopes, suspension, allowlists and metadata (AccessControl.md).
    enum ReportScope: String, APIKeyScope {
        case read = "reports:read"
        case write = "reports:write"
    }

    static func declareScopes(_ app: Application) throws {
        app.apiKeys.scopes = DeclaredScopes(ReportScope.self)
        app.apiKeys.trustedProxies = try TrustedProxies(["10.0.0.0/8"])
    }

    static func scopedRoutes(_ app: Application) {
        app.grouped(HasAPIKey(requiring: ReportScope.read)).get("reports", "latest") { req in
            let key = try req.requireAPIKey()
            return key.scopes.contains(ReportScope.write) ? "read and write" : "read only"
        }
        app.grouped(HasAPIKey(requiring: .all(ReportScope.read, .write))).post("reports", "latest") { req in "replaced" }
        app.grouped(UserAuthenticator(), HasAPIKey(requiring: ReportScope.write) | IsAuthenticated<User>()).delete("reports", "latest") { req in "deleted" }
    }

    static func issueLimitedKey(_ app: Application) async throws -> PlaintextAPIKey {
        let keys = app.apiKeys.manager()
        let (record, key) = try await keys.createKey(
            name: "partner", scopes: [ReportScope.read], allowedIPs: ["203.0.113.0/24", "2001:db8::/32"],
            metadata: try APIKeyMetadata(json: #"{"customer":"cus_123"}"#))
        try await keys.suspend(prefixes: [record.prefix])   // refused until…
        try await keys.resume(prefixes: [record.prefix])    // …resumed
        record.allowedIPs = []                                // anywhere again
        try await keys.update(record)
        return key
    }

    /// Usage and rate limits (UsageAndRateLimits.md).
    static func usagePolicy(_ app: Application) throws {
        app.apiKeys.usage = try APIKeyUsagePolicy(flushInterval: .seconds(30))
    }

    static func idleKeys(_ app: Application) async throws -> [APIKeySummary] {
        let keys = app.apiKeys.manager()
        let idle = try await keys.list(APIKeyQuery(notUsedSince: Date().addingTimeInterval(-30 * 86_400), order: .longestIdle))
        for summary in idle.summaries {
            let usage = try await keys.usage(of: summary.prefix, days: 30)
            print(summary.prefix, summary.lastUsedAt ?? "never", usage.days.map(\.granted).reduce(0, +))
        }
        return idle.summaries
    }

    static func rateLimits(_ app: Application) async throws -> PlaintextAPIKey {
        app.apiKeys.settings.defaultRateLimit = try RateLimit(100, per: .minute)
        let (_, key) = try await app.apiKeys.manager().createKey(name: "partner", rateLimit: try RateLimit(parsing: "1000/hour burst 50"))
        return key
    }

    static func sharedLimits(_ app: Application) {
        app.apiKeys.settings.rateLimitSharing = .acrossInstances()                              // 503 while the database cannot lease
        app.apiKeys.settings.rateLimitSharing = .acrossInstances(whenUnreachable: .countLocally) // or each instance alone meanwhile
    }

    /// A key's life (KeyLifecycle.md).
    static func rotate(_ app: Application, prefix: String) async throws -> PlaintextAPIKey {
        let (replacement, key) = try await app.apiKeys.manager().rotate(prefix: prefix, grace: .seconds(86_400))
        print("\(prefix) is replaced by \(replacement.prefix); the old key works for 24 hours")
        return key   // shown once: hand it to the client
    }

    static func taggedKeys(_ app: Application) throws {
        app.apiKeys.scheme = KeyScheme(generator: try TaggedKeyGenerator(tag: "acme_live", alsoAccepting: AlphanumericKeyGenerator()))
    }

    static func leakReports(_ app: Application) throws {
        app.apiKeys.mountLeakReports(at: "api", "leaked-keys", reporting: LeakReporting(), models: APIKey.self)
    }

    static func watchEvents(_ app: Application) {
        let events = app.apiKeys.events
        Task {
            for await event in events where event.kind == .leakRevoked {
                app.logger.critical("API key \(event.prefix) leaked", metadata: ["where": "\(event.detail ?? "-")"])
            }
        }
    }

    static func pepper(_ app: Application, secret: [UInt8]) throws {
        let pepper = try KeyPepper(id: "2026a", secret: secret)
        app.apiKeys.scheme = KeyScheme(hasher: PepperedKeyHasher(current: pepper))
    }

    static func lifetimePolicy(_ app: Application) throws {
        app.apiKeys.settings.lifetime = try APIKeyLifetimePolicy(default: .seconds(90 * 86_400), maximum: .seconds(365 * 86_400))
    }

    static func warnRotatedKeys(_ app: Application) {
        app.grouped(HasAPIKey()).get("reports") { req in
            let key = try req.requireAPIKey()
            if let deprecation = key.deprecation {
                req.logger.warning("A client still uses a rotated key", metadata: ["prefix": "\(key.prefix)", "sunset": "\(deprecation.sunset)"])
            }
            return "ok"
        }
    }

    struct Billing: Decodable { let customer: String }

    static func readMetadata(_ app: Application) {
        app.grouped(HasAPIKey()).get("billing") { req in
            let key = try req.requireAPIKey()
            return try key.metadata.decode(Billing.self).customer
        }
    }

    static func permissions(_ app: Application) {
        let api = app.grouped(UserAuthenticator())
        api.grouped(HasAPIKey()).get("reports") { req in "reports" }
        api.grouped(HasAPIKey() | IsAuthenticated<User>()).get("either") { req in "key or user" }
        api.grouped(HasAPIKey() & IsAuthenticated<User>()).get("both") { req in "key and user" }
        api.grouped(!IsAuthenticated<User>()).get("anonymous") { req in "no user" }
        api.grouped(AllowAny()).get("health") { req in "ok" }
    }

    static func objectPermissions(_ app: Application) {
        app.grouped(HasAPIKey() & OwnsDocument()).get("documents", ":owner") { req in
            let document = Document(owner: req.parameters.get("owner") ?? "")
            try await req.checkObjectPermissions(document)
            return "yours"
        }
    }

    static func keyInHandler(_ app: Application) {
        app.grouped(HasAPIKey()).get("whoami") { req in
            let key = try req.auth.require(APIKey.Identity.self)   // or req.requireAPIKey()
            return "\(key.name) (\(key.prefix))"
        }
    }

    static func authenticators(_ app: Application) {
        let api = app.grouped(APIKeyAuthenticator(), UserAuthenticator())
        api.grouped(APIKey.Identity.guardMiddleware()).get("keys-only") { req in
            try req.auth.require(APIKey.Identity.self).name
        }
        api.grouped(HasAPIKey() | IsAuthenticated<User>()).get("key-or-user") { req in
            req.auth.get(APIKey.Identity.self)?.name ?? req.auth.get(User.self)?.name ?? ""
        }
    }

    static func loadModel(_ app: Application) {
        app.grouped(HasAPIKey()).get("rename") { req in
            let key = try req.requireAPIKey()
            guard let model = try await key.model(on: req.db) else { throw Abort(.notFound) }
            model.name = "renamed"
            try await req.apiKeys.manager().update(model)
            return "renamed \(key.prefix)"
        }
    }

    static func refusalResponse(_ app: Application) {
        app.apiKeys.refusalResponse = { refusal, req in
            let response = Response(status: .init(statusCode: refusal.statusCode), body: .init(string: refusal.reason))
            if let challenge = refusal.challenge { response.headers.replaceOrAdd(name: .wwwAuthenticate, value: challenge) }
            return response
        }
    }

    static func testing(_ app: Application) async throws {
        let clock = APIKeyTestClock()
        app.apiKeys.clock = clock.clock
        let (_, key) = try await app.apiKeys.manager().createKey(name: "ci", expiresAt: clock.now().addingTimeInterval(60))
        try await app.testing().test(.GET, "hello", headers: .apiKey(key)) { res in #expect(res.status == .ok) }
        clock.advance(by: 61)
        try await app.testing().test(.GET, "hello", headers: .apiKey(key)) { res in #expect(res.status == .unauthorized) }
    }

    static func conformance(_ db: any Database, heroID: UUID) async throws {
        try await APIKeyStoreConformance(FluentStoreFixture(HeroAPIKey.self, on: db) { $0.$hero.id = heroID }).run()
    }

    static func keyword(_ app: Application) {
        app.apiKeys.keySource = .header(.authorization(keyword: "Bearer"))
    }

    static func customHeader(_ app: Application) {
        app.apiKeys.keySource = .header(.custom("X-Api-Key"))
    }

    static func cache(_ app: Application) throws {
        app.apiKeys.cache = try VerificationCachePolicy(timeToLive: .milliseconds(250))
        app.apiKeys.cache = nil   // every request asks the database
    }

    static func customParser(_ app: Application) {
        app.apiKeys.keySource = .custom { req in
            req.cookies["api_key"].map { .key($0.string) } ?? .missing
        }
    }

    static func manage(_ req: Request, presentedKey: String) async throws {
        let keys = req.apiKeys.manager()
        let (record, key) = try await keys.createKey(name: "nightly-export", expiresAt: Date().addingTimeInterval(86_400))
        let valid = try await keys.isValid(presentedKey)
        let outcome = await keys.verify(presentedKey)
        try await keys.revoke(record)
        try await keys.revoke(prefixes: ["C7oAzBnJ", "0t7Nnh4P"])
        try await keys.delete(record)
        let usable = try await keys.usableKeys.count()
        _ = (key, valid, outcome, usable)
    }

    static func keyGeneration(_ app: Application) {
        app.apiKeys.scheme = KeyScheme(generator: AlphanumericKeyGenerator(prefixLength: 8, secretLength: 48))
    }

    static func sharedWithDjango(_ app: Application) {
        app.migrations.add(CreateDjangoAPIKeys())
        app.grouped(HasAPIKey(DjangoAPIKey.self)).get("protected") { req in
            "Hello, \(try req.requireAPIKey(DjangoAPIKey.self).name)!"
        }
    }

    static func admin(_ app: Application) throws {
        let staff = app.grouped(app.sessions.middleware, StaffOnly())
        try staff.grouped("admin").register(collection: APIKeyAdmin())
    }

    static func commands() async {
        if CommandLine.arguments.dropFirst().first == "api-keys" {
            await APIKeysCommand<AppKeys>.main(Array(CommandLine.arguments.dropFirst(2)))
        }
    }

    static func core() async throws {
        let scheme = KeyScheme()                 // djangorestframework-api-key's format
        let newKey = scheme.makeKey()
        let prefix = newKey.prefix               // "C7oAzBnJ": store it, show it in an admin
        let hashedKey = newKey.hashedKey         // "sha512$$…": store it
        let key = newKey.plaintext.reveal()      // give it to its owner, once
        let shown = "\(newKey.plaintext)"        // "C7oAzBnJ.<redacted>": printing never shows it
        _ = (prefix, hashedKey, key, shown)
    }

    static func verifyWithoutAFramework(authorizationValues: [String]) async throws -> String {
        let store = InMemoryAPIKeyStore()
        let header = KeyHeader.authorization()              // Authorization: Api-Key <key>
        let verifier = APIKeyVerifier(store: store)
        let outcome = await verifier.verify(header.extract(from: authorizationValues))
        if let key = outcome.identity {                     // known, matching, not revoked, not expired
            return key.name
        }
        return outcome.denial?.code ?? "unavailable"        // for logs and metrics only
    }
}

/// An object-level rule: only the documents named after the key.
struct OwnsDocument: RoutePermission {
    func hasPermission(_ request: Request) async throws -> Bool { true }
    func hasObjectPermission(_ request: Request, object: any Sendable) async throws -> Bool {
        (object as? Document)?.owner == request.apiKey?.name
    }
}

/// Who may manage keys: your own rule. Here, your sign-in put the user's role in the session;
/// anyone else is sent to sign in first.
struct StaffOnly: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.session.data["role"] == "staff" else { return request.redirect(to: "/login") }
        return try await next.respond(to: request)
    }
}

/// The commands' access to an app's keys: its database, opened for one command.
enum AppKeys: APIKeyCommandEnvironment {
    static func withManager(_ body: (APIKeyManager<APIKey>) async throws -> Void) async throws {
        let app = try await Application.make(.development)
        app.databases.use(.sqlite(.file("db.sqlite")), as: .sqlite)
        do {
            try await body(app.apiKeys.manager())
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
