import Vapor

/// A user logged in by a test authenticator from an `X-User: <name>` header.
struct User: Authenticatable {
    let name: String
}

struct UserAuthenticator: AsyncRequestAuthenticator {
    func authenticate(request: Request) async throws {
        guard let value = request.headers.first(name: "X-User") else { return }
        request.auth.login(User(name: value))
    }
}
