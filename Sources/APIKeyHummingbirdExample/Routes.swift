import APIKeyExampleShared
import APIKeyFluent
import APIKeyHummingbird
import APIKeyHummingbirdAdmin
import APIKeyHummingbirdManagement
import FluentKit
import Foundation
import Hummingbird
import NIOCore
import HummingbirdAuth

/// A request's context: who it is (hummingbird-auth's identity), what the key check found, and
/// the signed-in administrator's session on admin pages.
struct ExampleContext<Key: APIKeyModel>: APIKeyAuthRequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    var identity: Key.Identity?
    var apiKeys = APIKeyRequestState()
    var adminSession: AdminSessionBox?
    /// The TCP peer: what the sign-in throttles by.
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
    }
}

/// The example's routes, the same as the Vapor example's.
func buildRouter<Key: APIKeyModel>(
    _ key: Key.Type, apiKeys: APIKeys, fluent: FluentService, leakReporting: LeakReporting
) throws -> Router<ExampleContext<Key>> {
    let router = Router(context: ExampleContext<Key>.self)
    let api = router.group("api")

    // No permission: anyone may call it.
    api.get("public") { _, _ in Greeting(message: "Hello, world!") }

    // The API key metrics, for Prometheus (open here; keep them on an internal port in a real service).
    router.get("metrics") { _, _ in
        Response(
            status: .ok, headers: [.contentType: ExampleMetrics.contentType],
            body: ResponseBody(byteBuffer: ByteBuffer(string: ExampleMetrics.text())))
    }

    // Leaked keys, reported as GitHub's secret scanning does: revoked if they are valid keys.
    apiKeys.mountLeakReports(on: api, at: "leaked-keys", reporting: leakReporting, models: Key.self, OrganizationAPIKey.self)

    // The management API (OpenAPI/api-keys.yaml): /api/v1/keys, and its contract at
    // /api/v1/openapi.yaml. A key with keys:manage manages its own model's (or organization's) keys.
    try apiKeys.mountManagement(exampleManagement(Key.self), on: router, at: "api/v1")

    // A valid key: of the built-in model, or of djangorestframework-api-key's table with API_KEY_SCHEMA=drf.
    api.group("protected")
        .add(middleware: APIKeyAuthenticator(apiKeys))
        .add(middleware: HasAPIKey(Key.self))
        .get { _, context in Greeting(message: "Hello, \(try context.requireIdentity().name)!") }

    // Scopes: reading reports needs reports:read, writing them reports:write (403 with
    // WWW-Authenticate: Api-Key error="insufficient_scope", scope="…" otherwise).
    let reports = api.group("reports").add(middleware: APIKeyAuthenticator(apiKeys))
    reports.group().add(middleware: HasAPIKey(Key.self, requiring: ReportScope.read)).get { _, _ in ReportList() }
    reports.group().add(middleware: HasAPIKey(Key.self, requiring: ReportScope.write)).post { _, _ in
        EditedResponse(status: .created, response: ReportCreated())
    }
    // Both scopes (`.all`); the same answer as /api/protected, so that the benchmarks compare
    // the scope check alone.
    reports.group("export").add(middleware: HasAPIKey(Key.self, requiring: .all(ReportScope.read, .write))).get { _, context in
        Greeting(message: "Hello, \(try context.requireIdentity().name)!")
    }

    // A valid key of an active organization (a custom model with its own usable-keys rule): a
    // second key model, beside the context's identity. The organization's name came with the
    // key's lookup: no query here.
    api.group("organization")
        .add(middleware: APIKeyAuthenticator(apiKeys, model: OrganizationAPIKey.self))
        .add(middleware: HasAPIKey(OrganizationAPIKey.self))
        .get { _, context in Greeting(message: "Hello, \(try context.requireAPIKey(OrganizationAPIKey.self).organizationName)!") }

    // The admin panels, behind the sign-in.
    let signIn = AdminSignIn<Key>(fluent: fluent)
    signIn.addRoutes(to: router)
    let signedIn = router.group().add(middleware: RequireAdmin(signIn: signIn))
    let admin = signedIn.group("admin")
    let session: @Sendable (Request, ExampleContext<Key>) -> AdminSession? = { _, context in context.adminSession?.adminSession }
    let user: @Sendable (Request, ExampleContext<Key>) -> String? = { _, _ in ExampleAdmin.user }
    var keys = APIKeyAdmin(apiKeys, Key.self)
    var organizationKeys = APIKeyAdmin(apiKeys, OrganizationAPIKey.self, title: "Organization API keys", owner: .organization)
    (keys.navigation, organizationKeys.navigation) = (ExampleAdmin.navigation, ExampleAdmin.navigation)
    keys.add(to: admin, session: session, signedInAs: user)
    organizationKeys.add(to: admin.group("organization"), session: session, signedInAs: user)
    // Signing out posts the panels' CSRF token, kept in the session that RequireAdmin opens.
    signedIn.post("logout") { request, context in try await signIn.signOut(request, context) }
    router.get("/") { _, _ in Response(status: .seeOther, headers: [.location: "/admin/keys"]) }
    return router
}

struct Greeting: ResponseCodable {
    let message: String
}

extension ReportList: ResponseEncodable {}
extension ReportCreated: ResponseEncodable {}
