public import APIKeyCore
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
/// reports.post(use: create).add(middleware: HasAPIKey(requiring: ReportScope.write))
/// ```
///
/// A valid key without the scopes a route requires gets 403 with
/// `WWW-Authenticate: Api-Key error="insufficient_scope", scope="reports:write"`.
public struct HasAPIKey<Context: APIKeyAuthRequestContext, Model: APIKeyModel>: RouterMiddleware {
    /// What the route requires of the key's scopes; `nil` for nothing.
    let scopes: ScopeCheck?

    /// The middleware for keys of `model`.
    public init(_ model: Model.Type, context: Context.Type = Context.self) {
        self.scopes = nil
    }

    /// The middleware for keys of `model` that meet `requirement`.
    ///
    /// ```swift
    /// HasAPIKey(OrganizationAPIKey.self, requiring: .any(ReportScope.read, .write))
    /// ```
    public init<Scope: APIKeyScope>(_ model: Model.Type, requiring requirement: ScopeRequirement<Scope>, context: Context.Type = Context.self) {
        self.scopes = ScopeCheck(requirement)
    }

    /// The middleware for keys of `model` that hold `scope`.
    public init<Scope: APIKeyScope>(_ model: Model.Type, requiring scope: Scope, context: Context.Type = Context.self) {
        self.init(model, requiring: .scope(scope))
    }

    /// Refuses unless a key of `Model` was accepted, and holds the scopes the route requires.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard context.apiKeys.hasAcceptedKey(of: Model.self) else { throw context.apiKeys.refusal }
        if let scopes {
            // Accepted means its scopes were noted; none noted would be a refusal all the same.
            let held = context.apiKeys.scopes(of: Model.self) ?? .none
            if !scopes.admits(held) {
                var credentials = context.apiKeys.credentials
                _ = scopes.admits(held, notingIn: &credentials)
                throw credentials.refusal(challenge: context.apiKeys.challenge)
            }
        }
        return try await next(request, context)
    }
}

extension HasAPIKey {
    /// The middleware for the model whose identity the context carries:
    /// `Router(context: BasicAPIKeyRequestContext<APIKey.Identity>.self)` requires `APIKey` keys.
    public init(context: Context.Type = Context.self) where Context.Identity == APIKeyIdentity<Model> {
        self.scopes = nil
    }

    /// The middleware for keys of the context's model that meet `requirement`.
    ///
    /// ```swift
    /// router.group("reports").add(middleware: HasAPIKey(requiring: .all(ReportScope.read, .write)))
    /// ```
    public init<Scope: APIKeyScope>(requiring requirement: ScopeRequirement<Scope>, context: Context.Type = Context.self)
    where Context.Identity == APIKeyIdentity<Model> {
        self.scopes = ScopeCheck(requirement)
    }

    /// The middleware for keys of the context's model that hold `scope`.
    ///
    /// ```swift
    /// router.group("reports").add(middleware: HasAPIKey(requiring: ReportScope.write))
    /// ```
    public init<Scope: APIKeyScope>(requiring scope: Scope, context: Context.Type = Context.self) where Context.Identity == APIKeyIdentity<Model> {
        self.scopes = ScopeCheck(ScopeRequirement.scope(scope))
    }
}
