/// A ``ScopeRequirement`` of any scope type, for middleware that is generic over the key model
/// only: it checks a verified key's scopes and notes what a refusal must name.
package struct ScopeCheck: Sendable {
    let names: ScopeNames

    package init<Scope: APIKeyScope>(_ requirement: ScopeRequirement<Scope>) {
        self.names = requirement.names
    }

    /// Whether a key holding `scopes` may pass.
    package func admits(_ scopes: APIKeyScopes) -> Bool { names.isSatisfied(by: scopes) }

    /// Whether a key holding `scopes` may pass; if not, notes in `credentials` which scopes it
    /// lacks, for the 403's `WWW-Authenticate` (the key itself was accepted).
    package func admits(_ scopes: APIKeyScopes, notingIn credentials: inout PresentedCredentials) -> Bool {
        if admits(scopes) { return true }
        credentials.accepted = true
        // A `not` requirement lacks nothing nameable: the challenge then names no scope.
        var missing: [String] = []
        names.collectMissing(scopes, into: &missing)
        credentials.missingScopes = missing
        return false
    }
}
