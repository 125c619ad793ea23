/// What a route requires of a key's scopes: one scope, all of some, any of some, or not one,
/// nested as needed, checked against the scopes a verified key holds.
///
/// ```swift
/// HasAPIKey(requiring: ReportScope.read)
/// HasAPIKey(requiring: .all(.read, .write))
/// HasAPIKey(requiring: .all(.any(.documentsRead, .documentsWrite), .scope(.usersView)))
/// HasAPIKey(requiring: .not(.sandbox))
/// ```
///
/// Checking allocates nothing: it compares the key's stored names with the scopes' raw values.
public struct ScopeRequirement<Scope: APIKeyScope>: Sendable, Hashable {
    indirect enum Node: Sendable, Hashable {
        case scope(Scope)
        case all([Node])
        case any([Node])
        case not(Node)
    }

    let node: Node

    private init(_ node: Node) {
        self.node = node
    }

    /// Requires `scope`.
    public static func scope(_ scope: Scope) -> Self { Self(.scope(scope)) }

    /// Requires every one of `scopes`.
    public static func all(_ scopes: Scope...) -> Self { Self(.all(scopes.map(Node.scope))) }

    /// Requires every one of `requirements`.
    public static func all(_ requirements: Self...) -> Self { Self(.all(requirements.map(\.node))) }

    /// Requires at least one of `scopes`.
    public static func any(_ scopes: Scope...) -> Self { Self(.any(scopes.map(Node.scope))) }

    /// Requires at least one of `requirements` to hold.
    public static func any(_ requirements: Self...) -> Self { Self(.any(requirements.map(\.node))) }

    /// Requires that the key does not hold `scope` (a sandbox key kept off a live route, say).
    public static func not(_ scope: Scope) -> Self { Self(.not(.scope(scope))) }

    /// Requires that `requirement` does not hold.
    public static func not(_ requirement: Self) -> Self { Self(.not(requirement.node)) }

    /// Whether a key holding `scopes` meets the requirement.
    ///
    /// ```swift
    /// ScopeRequirement.all(ReportScope.read, .write).isSatisfied(by: identity.scopes)
    /// ```
    public func isSatisfied(by scopes: APIKeyScopes) -> Bool {
        Self.evaluate(node, scopes)
    }

    /// The scopes that would let a key holding `scopes` through: for `WWW-Authenticate`'s
    /// `scope` parameter. The required scopes it lacks; for `any`, each alternative it lacks.
    package func missing(from scopes: APIKeyScopes) -> [String] {
        ScopeCheck(self).missingScopes(scopes)
    }

    private static func evaluate(_ node: Node, _ scopes: APIKeyScopes) -> Bool {
        switch node {
        case .scope(let scope): scopes.contains(scope.rawValue)
        case .all(let nodes): nodes.allSatisfy { evaluate($0, scopes) }
        case .any(let nodes): nodes.contains { evaluate($0, scopes) }
        case .not(let node): !evaluate(node, scopes)
        }
    }

}
