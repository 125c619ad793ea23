import APIKeyExampleShared
import APIKeyVapor
import APIKeyVaporManagement
import Fluent
import Vapor

func routes<Key: APIKeyModel>(_ app: Application, keys: Key.Type) throws {
    let api = app.grouped("api")

    // No permission: anyone may call it.
    api.get("public") { _ in Greeting(message: "Hello, world!") }

    // The API key metrics, for Prometheus (open here; keep them on an internal port in a real service).
    app.get("metrics") { _ in
        Response(status: .ok, headers: ["Content-Type": ExampleMetrics.contentType], body: .init(string: ExampleMetrics.text()))
    }

    // Leaked keys, reported as GitHub's secret scanning does: revoked if they are valid keys.
    app.apiKeys.mountLeakReports(at: "api", "leaked-keys", reporting: try exampleLeakReporting(), models: Key.self, OrganizationAPIKey.self)

    // The management API (OpenAPI/api-keys.yaml): /api/v1/keys, and its contract at
    // /api/v1/openapi.yaml. A key with keys:manage manages its own model's (or organization's) keys.
    try app.apiKeys.mountManagement(exampleManagement(Key.self), at: "api", "v1")

    // A valid key: of the built-in model, or of djangorestframework-api-key's table with API_KEY_SCHEMA=drf.
    api.grouped(HasAPIKey(Key.self)).get("protected") { req in
        Greeting(message: "Hello, \(try req.auth.require(Key.Identity.self).name)!")
    }

    // Scopes: reading reports needs reports:read, writing them reports:write (403 with
    // WWW-Authenticate: Api-Key error="insufficient_scope", scope="…" otherwise).
    api.grouped(HasAPIKey(Key.self, requiring: ReportScope.read)).get("reports") { _ in ReportList() }
    api.grouped(HasAPIKey(Key.self, requiring: ReportScope.write)).post("reports") { req in
        try await ReportCreated().encodeResponse(status: .created, for: req)
    }
    // Both scopes (`.all`); the same answer as /api/protected, so that the benchmarks compare
    // the scope check alone.
    api.grouped(HasAPIKey(Key.self, requiring: .all(ReportScope.read, .write))).get("reports", "export") { req in
        Greeting(message: "Hello, \(try req.auth.require(Key.Identity.self).name)!")
    }

    // A valid key of an active organization (a custom model with its own usable-keys rule). The
    // organization's name came with the key's lookup: no query here.
    api.grouped(HasAPIKey(OrganizationAPIKey.self)).get("organization") { req in
        let key = try req.auth.require(OrganizationAPIKey.Identity.self)
        return Greeting(message: "Hello, \(key.organizationName)!")
    }
}

struct Greeting: Content {
    let message: String
}

extension ReportList: Content {}
extension ReportCreated: Content {}
