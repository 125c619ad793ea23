/// A ``ScopeRequirement`` of any scope type, for middleware that is generic over the key model
/// only: it checks a verified key's scopes and notes what a refusal must name.
package struct ScopeCheck: Sendable {
    private let isSatisfied: @Sendable (APIKeyScopes) -> Bool
    private let missing: @Sendable (APIKeyScopes) -> [String]

    package init<Scope: APIKeyScope>(_ requirement: ScopeRequirement<Scope>) {
        self.isSatisfied = { requirement.isSatisfied(by: $0) }
        self.missing = { requirement.missing(from: $0) }
    }

    /// Whether a key holding `scopes` may pass; if not, notes in `credentials` which scopes it
    /// lacks, for the 403's `WWW-Authenticate` (the key itself was accepted).
    package func admits(_ scopes: APIKeyScopes, notingIn credentials: inout PresentedCredentials) -> Bool {
        if isSatisfied(scopes) { return true }
        credentials.accepted = true
        // A `not` requirement lacks nothing nameable: the challenge then names no scope.
        credentials.missingScopes = missing(scopes)
        return false
    }

    /// Whether a key holding `scopes` may pass.
    package func admits(_ scopes: APIKeyScopes) -> Bool { isSatisfied(scopes) }

    /// What a refusal must name.
    package func missingScopes(_ scopes: APIKeyScopes) -> [String] { missing(scopes) }
}
