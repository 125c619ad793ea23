import APIKeyCore
import APIKeyFluent
import APIKeyVapor
import TestSupport
import Vapor

/// Upstream's test project URLs, plus the compositions this port adds.
func registerTestRoutes(_ app: Application) {
    let api = app.grouped("api")
    api.get("public") { _ in Message(message: "Hello, world!") }

    let protected = api.grouped(HasAPIKey())
    protected.get("protected") { req in
        req.logger.debug("handled")
        return Message(message: "Hello, \(req.apiKey?.name ?? "?")!")
    }
    protected.get("protected", "object") { req in
        try await req.checkObjectPermissions(Document(owner: "anyone"))
        return Message(message: "Hello, world!")
    }
    protected.get("protected", "twice") { req in
        // The key the permission verified is the one the handler gets: no second query.
        let again = await req.apiKeys.authenticate(APIKey.self).identity
        return Message(message: again != nil && again == req.apiKey ? "same" : "different")
    }

    api.grouped(HasAPIKey(HeroAPIKey.self)).get("heroes") { req in
        Message(message: "Hello, \(req.apiKey(as: HeroAPIKey.self)?.name ?? "?")!")
    }

    let users = api.grouped(UserAuthenticator())
    users.grouped(HasAPIKey() | IsAuthenticated<User>()).get("either") { req in
        Message(message: req.apiKey?.name ?? req.auth.get(User.self)?.name ?? "?")
    }
    users.grouped(HasAPIKey() & IsAuthenticated<User>()).get("both") { _ in Message(message: "both") }
    users.grouped(!IsAuthenticated<User>()).get("anonymous") { _ in Message(message: "anonymous") }
    users.grouped(HasAPIKey() & OwnerOnly()).get("documents", ":owner") { req in
        try await req.checkObjectPermissions(Document(owner: req.parameters.get("owner") ?? ""))
        return Message(message: "yours")
    }
    users.grouped(HasAPIKey() | OwnerOnly()).get("shared", ":owner") { req in
        try await req.checkObjectPermissions(Document(owner: req.parameters.get("owner") ?? ""))
        return Message(message: "shared")
    }
}

struct Message: Content, Equatable {
    let message: String
}

struct Document: Sendable {
    let owner: String
}

/// Grants every request, but only the documents of the key's own name: an object-level rule.
struct OwnerOnly: RoutePermission {
    func hasPermission(_ request: Request) async throws -> Bool { true }
    func hasObjectPermission(_ request: Request, object: any Sendable) async throws -> Bool {
        (object as? Document)?.owner == request.apiKey?.name
    }
}
