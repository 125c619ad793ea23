import APIKeyCore
public import APIKeyFluent
public import Hummingbird
public import HummingbirdAuth

/// Lets a request through only if ``APIKeyAuthenticator`` verified a key of `Model` and made it
/// the request's identity, and refuses it otherwise as the check decided: 401 with
/// `WWW-Authenticate` for no key or a key that is not valid, 403 when another credential (another
/// model's key) was accepted, 503 when the key store did not answer (fail closed). Vapor's
/// `HasAPIKey`, as Hummingbird middleware. For "a key or a user", use
/// ``APIKeyAuthorizationMiddleware``.
///
/// ```swift
/// router.add(middleware: APIKeyAuthenticator(apiKeys))
/// router.group("api").add(middleware: HasAPIKey())   // the context's own key model
/// callers.group("partners").add(middleware: HasAPIKey(PartnerKey.self))
/// ```
public struct HasAPIKey<Context: APIKeyAuthRequestContext, Model: APIKeyModel>: RouterMiddleware {
    /// The middleware for keys of `model`.
    public init(_ model: Model.Type, context: Context.Type = Context.self) {}

    /// Refuses unless a key of `Model` was accepted.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.apiKeys.hasAcceptedKey(of: Model.self) else { throw context.apiKeys.refusal }
        return try await next(request, context)
    }
}

extension HasAPIKey {
    /// The middleware for the model whose identity the context carries:
    /// `Router(context: BasicAPIKeyRequestContext<APIKey.Identity>.self)` requires `APIKey` keys.
    public init(context: Context.Type = Context.self) where Context.Identity == APIKeyIdentity<Model> {}
}
