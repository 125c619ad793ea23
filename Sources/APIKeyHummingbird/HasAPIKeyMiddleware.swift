import APIKeyCore
public import APIKeyFluent
public import Hummingbird
public import HummingbirdAuth

/// Lets a request through only if ``APIKeyAuthenticator`` verified a key of `Model` and made it
/// the request's identity, and refuses it otherwise as the check decided: 401 with
/// `WWW-Authenticate` for no key or a key that is not valid, 403 when another credential (another
/// model's key) was accepted, 503 when the key store did not answer (fail closed). A signed-in
/// user without a key is refused too; for "a key or a user", use
/// ``APIKeyAuthorizationMiddleware``.
///
/// ```swift
/// router.add(middleware: APIKeyAuthenticator(keys, database: { fluent.db(logger: $0) }))
/// router.group("api").add(middleware: HasAPIKeyMiddleware())   // the context's own key model
/// callers.group("partners").add(middleware: HasAPIKeyMiddleware(PartnerKey.self))
/// ```
public struct HasAPIKeyMiddleware<Context: APIKeyAuthRequestContext, Model: APIKeyModel>: RouterMiddleware {
    /// The middleware for keys of `model`.
    public init(_ model: Model.Type, context: Context.Type = Context.self) {}

    /// Refuses unless a key of `Model` was accepted.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.apiKeys.hasAcceptedKey(of: Model.self) else { throw context.apiKeys.refusal.httpError }
        return try await next(request, context)
    }
}

extension HasAPIKeyMiddleware {
    /// The middleware for the model whose identity the context carries:
    /// `Router(context: BasicAPIKeyRequestContext<APIKey.Identity>.self)` requires `APIKey` keys.
    public init(context: Context.Type = Context.self) where Context.Identity == APIKeyIdentity<Model> {}
}

/// Composes API keys with hummingbird-auth's authorization policies: a request without any
/// identity (no key, and no user from another authenticator) is refused as
/// ``HasAPIKeyMiddleware`` refuses it (401 with the challenge); an identity the policy denies gets
/// 403; and any request whose presented key could not be checked gets 503, whatever the policy
/// (`Not`, `anyOf`, `allOf`) would say: it cannot know what the key would have been.
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
        guard !credentials.unavailable else { throw APIKeyRefusal.unavailable.httpError }
        if let identity = context.identity {
            if try await policy.isAuthorized(identity: identity, request: request) { return try await next(request, context) }
            credentials.accepted = true
        }
        throw credentials.refusal(challenge: context.apiKeys.challenge).httpError
    }
}

extension APIKeyAuthRequestContext {
    /// An object-level check, as DRF's `has_object_permission`: in a handler, once the object is
    /// loaded, refuses with 403 unless `isAllowed` says the request's identity may act on it (401
    /// or 503, as ``HasAPIKeyMiddleware`` decides, when there is no identity).
    ///
    /// ```swift
    /// let document = try await Document.find(id, on: db)
    /// try await context.checkObjectPermission(on: document) { caller, document in caller.key?.name == document.owner }
    /// ```
    public func checkObjectPermission<Object>(
        on object: Object, _ isAllowed: (Identity, Object) async throws -> Bool
    ) async throws {
        var credentials = apiKeys.credentials
        guard !credentials.unavailable else { throw APIKeyRefusal.unavailable.httpError }
        if let identity {
            if try await isAllowed(identity, object) { return }
            credentials.accepted = true
        }
        throw credentials.refusal(challenge: apiKeys.challenge).httpError
    }
}
