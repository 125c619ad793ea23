import APIKeyVapor
import Fluent
import Vapor

func routes<Key: APIKeyModel>(_ app: Application, keys: Key.Type) throws {
    let api = app.grouped("api")

    // No permission: anyone may call it.
    api.get("public") { _ in Greeting(message: "Hello, world!") }

    // A valid key: of the built-in model, or of djangorestframework-api-key's table with API_KEY_SCHEMA=drf.
    api.grouped(HasAPIKey(Key.self)).get("protected") { req in
        Greeting(message: "Hello, \(try req.requireAPIKey(Key.self).name)!")
    }

    // A valid key of an active organization (a custom model with its own usable-keys rule).
    api.grouped(HasAPIKey(OrganizationAPIKey.self)).get("organization") { req in
        let organization = try await req.requireAPIKey(OrganizationAPIKey.self).$organization.get(on: req.db)
        return Greeting(message: "Hello, \(organization.name)!")
    }
}

struct Greeting: Content {
    let message: String
}
