public import APIKeyCore
public import APIKeyFluent
public import Hummingbird
public import HummingbirdAuth

/// A key's scopes as a hummingbird-auth policy, for contexts whose identity is the key: it
/// composes with hummingbird-auth's `anyOf`, `allOf` and `Not`, and with ``APIKeyAuthorizationMiddleware``.
/// A denied key gets 403 there; ``HasAPIKey`` with `requiring:` also names the missing scopes in
/// `WWW-Authenticate`, so prefer it when scopes are all a route asks for.
///
/// ```swift
/// router.group("reports").add(middleware: APIKeyAuthorizationMiddleware(
///     anyOf { ScopePolicy<APIKey, ReportScope>(.scope(.write)); ClosureAuthorizationPolicy { key, _ in key.name == "ops" } }))
/// ```
public struct ScopePolicy<Model: APIKeyModel, Scope: APIKeyScope>: AuthorizationPolicy {
    /// A key of `Model`.
    public typealias Identity = APIKeyIdentity<Model>

    let requirement: ScopeRequirement<Scope>

    /// A policy that grants keys meeting `requirement`.
    public init(_ requirement: ScopeRequirement<Scope>) {
        self.requirement = requirement
    }

    /// Whether the key meets the requirement.
    public func isAuthorized(identity: APIKeyIdentity<Model>, request: Request) async throws -> Bool {
        requirement.isSatisfied(by: identity.scopes)
    }
}
