import APIKeyFluent
import APIKeyHummingbird
import FluentKit
import Foundation
import Hummingbird
import HummingbirdAuth

/// Who a request is: a key of the app's model, or an organization's key.
enum Caller<Key: APIKeyModel>: Sendable {
    case key(Key.Identity)
    case organization(OrganizationAPIKey.Identity)
}

typealias ExampleContext<Key: APIKeyModel> = BasicAPIKeyRequestContext<Caller<Key>>

/// The example's routes, the same as the Vapor example's.
func buildRouter<Key: APIKeyModel>(_ key: Key.Type, services: APIKeyServices, fluent: FluentService) -> Router<ExampleContext<Key>> {
    let router = Router(context: ExampleContext<Key>.self)
    let database: @Sendable (Logger) -> any Database = { fluent.db(logger: $0) }
    let api = router.group("api")

    // No permission: anyone may call it.
    api.get("public") { _, _ in Greeting(message: "Hello, world!") }

    // A valid key: of the built-in model, or of djangorestframework-api-key's table with API_KEY_SCHEMA=drf.
    api.group("protected")
        .add(middleware: APIKeyAuthenticator(services.service(for: Key.self), database: database) { key, _ in .key(key) })
        .add(middleware: HasAPIKeyMiddleware())
        .get { _, context in
            guard case .key(let key) = try context.requireIdentity() else { throw HTTPError(.unauthorized) }
            return Greeting(message: "Hello, \(key.name)!")
        }

    // A valid key of an active organization (a custom model with its own usable-keys rule).
    api.group("organization")
        .add(middleware: APIKeyAuthenticator(services.service(for: OrganizationAPIKey.self), database: database) { key, _ in .organization(key) })
        .add(middleware: HasAPIKeyMiddleware())
        .get { _, context in
            guard case .organization(let key) = try context.requireIdentity() else { throw HTTPError(.unauthorized) }
            guard let organization = try await Organization.find(key.organizationID, on: fluent.db(logger: context.logger)) else {
                throw HTTPError(.notFound)
            }
            return Greeting(message: "Hello, \(organization.name)!")
        }
    return router
}

struct Greeting: ResponseCodable {
    let message: String
}
