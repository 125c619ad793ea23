/// A ``ScopeRequirement`` of any scope type, for middleware that is generic over the key model
/// only: it checks a verified key's scopes and notes what a refusal must name.
///
/// The typed requirement is turned into scope names once, when the route is built: checking then
/// runs no generic code (the scope type's `rawValue` through its witness, on every request), only
/// comparisons of a few short strings.
package struct ScopeCheck: Sendable {
    /// A requirement over scope names.
    indirect enum Names: Sendable, Hashable {
        case name(String)
        case all([Names])
        case any([Names])
        case not(Names)

        init<Scope: APIKeyScope>(_ node: ScopeRequirement<Scope>.Node) {
            switch node {
            case .scope(let scope): self = .name(scope.rawValue)
            case .all(let nodes): self = .all(nodes.map(Names.init))
            case .any(let nodes): self = .any(nodes.map(Names.init))
            case .not(let node): self = .not(Names(node))
            }
        }

        func isSatisfied(by scopes: APIKeyScopes) -> Bool {
            switch self {
            case .name(let name): return scopes.contains(name)
            case .all(let nodes):
                for node in nodes where !node.isSatisfied(by: scopes) { return false }
                return true
            case .any(let nodes):
                for node in nodes where node.isSatisfied(by: scopes) { return true }
                return false
            case .not(let node): return !node.isSatisfied(by: scopes)
            }
        }

        func collectMissing(_ scopes: APIKeyScopes, into missing: inout [String]) {
            guard !isSatisfied(by: scopes) else { return }
            switch self {
            case .name(let name): if !missing.contains(name) { missing.append(name) }
            case .all(let nodes), .any(let nodes): for node in nodes { node.collectMissing(scopes, into: &missing) }
            case .not: break  // nothing to add: a scope to give up
            }
        }
    }

    let names: Names

    package init<Scope: APIKeyScope>(_ requirement: ScopeRequirement<Scope>) {
        self.names = Names(requirement.node)
    }

    /// Whether a key holding `scopes` may pass.
    package func admits(_ scopes: APIKeyScopes) -> Bool { names.isSatisfied(by: scopes) }

    /// Whether a key holding `scopes` may pass; if not, notes in `credentials` which scopes it
    /// lacks, for the 403's `WWW-Authenticate` (the key itself was accepted).
    package func admits(_ scopes: APIKeyScopes, notingIn credentials: inout PresentedCredentials) -> Bool {
        if admits(scopes) { return true }
        credentials.accepted = true
        // A `not` requirement lacks nothing nameable: the challenge then names no scope.
        credentials.missingScopes = missingScopes(scopes)
        return false
    }

    /// The scopes that would let a key holding `scopes` through: the required scopes it lacks;
    /// for `any`, each alternative it lacks.
    package func missingScopes(_ scopes: APIKeyScopes) -> [String] {
        var missing: [String] = []
        names.collectMissing(scopes, into: &missing)
        return missing
    }
}
