public import Vapor

/// Grants requests on which Vapor's authentication logged in a `User`: DRF's `IsAuthenticated`.
///
/// Put your authenticators before the permission; they log users in with `req.auth.login(_:)`.
///
/// ```swift
/// app.grouped(UserBearerAuthenticator(), HasAPIKey() | IsAuthenticated<User>())
/// ```
public struct IsAuthenticated<User: Authenticatable>: RoutePermission {
    /// The permission.
    public init() {}

    /// Whether `req.auth` holds a `User`.
    public func hasPermission(_ request: Request) async throws -> Bool {
        let authenticated = request.auth.has(User.self)
        if authenticated { RequestState.of(request).updateCredentials { $0.accepted = true } }
        return authenticated
    }
}

/// Grants every request: DRF's `AllowAny`.
///
/// ```swift
/// app.grouped(AllowAny()).get("health") { _ in "ok" }
/// ```
public struct AllowAny: RoutePermission {
    /// The permission.
    public init() {}

    /// Always `true`.
    public func hasPermission(_ request: Request) async throws -> Bool { true }
}
