import APIKeyCore
public import Hummingbird
public import HummingbirdAuth

/// Composes API keys with hummingbird-auth's authorization policies: a request without any
/// identity (no key, and no user from another authenticator) is refused as ``HasAPIKey`` refuses
/// it (401 with the challenge); an identity the policy denies gets 403; and any request whose
/// presented key could not be checked gets 503, whatever the policy (`Not`, `anyOf`, `allOf`)
/// would say: it cannot know what the key would have been.
///
/// ```swift
/// // "a key or a signed-in user": either authenticator sets the identity
/// router.group("reports").add(middleware: APIKeyAuthorizationMiddleware(ClosureAuthorizationPolicy { (_: Caller, _) in true }))
/// // "a key and a user"
/// router.group("both").add(middleware: APIKeyAuthorizationMiddleware(ClosureAuthorizationPolicy { caller, _ in caller.key != nil && caller.user != nil }))
/// ```
public struct APIKeyAuthorizationMiddleware<Policy: AuthorizationPolicy, Context: APIKeyAuthRequestContext>: RouterMiddleware
where Context.Identity == Policy.Identity {
    let policy: Policy

    /// A middleware that applies `policy` to the request's identity.
    public init(_ policy: Policy, context: Context.Type = Context.self) {
        self.policy = policy
    }

    /// Refuses without an identity, or when the policy denies it; refuses with 503, before the
    /// policy is asked, when a presented key could not be checked: a policy sees only the identity,
    /// and cannot tell "no key" from "a key nobody could check" (`Not(hasKey)` would grant).
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var credentials = context.apiKeys.credentials
        guard !credentials.unavailable else { throw APIKeyRefusal.unavailable }
        if let identity = context.identity {
            if try await policy.isAuthorized(identity: identity, request: request) { return try await next(request, context) }
            credentials.accepted = true
        }
        throw credentials.refusal(challenge: context.apiKeys.challenge)
    }
}

extension APIKeyAuthRequestContext {
    /// Object-level checks, as DRF's `check_object_permissions` (Vapor's
    /// `req.checkObjectPermissions`): in a handler, once the object is loaded, refuses with 403
    /// unless `isAllowed` says the request's identity may act on it (401 or 503, as ``HasAPIKey``
    /// decides, when there is no identity or its key could not be checked).
    ///
    /// ```swift
    /// let document = try await Document.find(id, on: db)
    /// try await context.checkObjectPermissions(document) { caller, document in caller.key?.name == document.owner }
    /// ```
    public func checkObjectPermissions<Object>(_ object: Object, _ isAllowed: (Identity, Object) async throws -> Bool) async throws {
        var credentials = apiKeys.credentials
        guard !credentials.unavailable else { throw APIKeyRefusal.unavailable }
        if let identity {
            if try await isAllowed(identity, object) { return }
            credentials.accepted = true
        }
        throw credentials.refusal(challenge: apiKeys.challenge)
    }
}
