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
/// The scopes' names are read once, when the requirement is made: checking compares the key's
/// stored names with them, a few short strings, and allocates nothing.
public struct ScopeRequirement<Scope: APIKeyScope>: Sendable {
    /// The requirement over names.
    let names: ScopeNames

    private init(_ names: ScopeNames) {
        self.names = names
    }

    /// Requires `scope`.
    public static func scope(_ scope: Scope) -> Self { Self(.name(of: scope)) }

    /// Requires every one of `scopes`.
    public static func all(_ scopes: Scope...) -> Self { Self(ScopeNames(.all, scopes.map(ScopeNames.name(of:)))) }

    /// Requires every one of `requirements`.
    public static func all(_ requirements: Self...) -> Self { Self(ScopeNames(.all, requirements.map(\.names))) }

    /// Requires at least one of `scopes`.
    public static func any(_ scopes: Scope...) -> Self { Self(ScopeNames(.any, scopes.map(ScopeNames.name(of:)))) }

    /// Requires at least one of `requirements` to hold.
    public static func any(_ requirements: Self...) -> Self { Self(ScopeNames(.any, requirements.map(\.names))) }

    /// Requires that the key does not hold `scope` (a sandbox key kept off a live route, say).
    public static func not(_ scope: Scope) -> Self { Self(ScopeNames(.not, [.name(of: scope)])) }

    /// Requires that `requirement` does not hold.
    public static func not(_ requirement: Self) -> Self { Self(ScopeNames(.not, [requirement.names])) }

    /// Whether a key holding `scopes` meets the requirement.
    ///
    /// ```swift
    /// ScopeRequirement.all(ReportScope.read, .write).isSatisfied(by: identity.scopes)
    /// ```
    public func isSatisfied(by scopes: APIKeyScopes) -> Bool {
        names.isSatisfied(by: scopes)
    }

    /// The scopes that would let a key holding `scopes` through: for `WWW-Authenticate`'s
    /// `scope` parameter. The required scopes it lacks; for `any`, each alternative it lacks.
    package func missing(from scopes: APIKeyScopes) -> [String] {
        var missing: [String] = []
        names.collectMissing(scopes, into: &missing)
        return missing
    }
}

/// A scope requirement over names: a tree of plain immutable objects, with no generic parameter,
/// so that checking it runs no generic code. (Not an `indirect enum`: with one, Swift 6.3's
/// release builds crashed apps as they shut down, destroying the routes that held it.)
final class ScopeNames: Sendable {
    enum Kind: Sendable { case name, all, any, not }
    let kind: Kind
    /// The scope's name, for `.name`.
    let name: String
    /// The operands of `.all`, `.any` and `.not`.
    let children: [ScopeNames]

    init(_ kind: Kind, _ children: [ScopeNames], name: String = "") {
        self.kind = kind
        self.children = children
        self.name = name
    }

    /// The requirement of `scope` alone. Routes are built at start: a name that could break the
    /// challenge header stops the app there, with the reason.
    static func name<Scope: APIKeyScope>(of scope: Scope) -> ScopeNames {
        let name = scope.rawValue
        precondition(DeclaredScopes.isWellFormed(name), "the scope \(name) is not a valid name: use 1 to 64 letters, digits and : . _ -")
        return ScopeNames(.name, [], name: name)
    }

    func isSatisfied(by scopes: APIKeyScopes) -> Bool {
        switch kind {
        case .name: return scopes.contains(name)
        case .all:
            for child in children where !child.isSatisfied(by: scopes) { return false }
            return true
        case .any:
            for child in children where child.isSatisfied(by: scopes) { return true }
            return false
        case .not: return !children[0].isSatisfied(by: scopes)
        }
    }

    func collectMissing(_ scopes: APIKeyScopes, into missing: inout [String]) {
        guard !isSatisfied(by: scopes) else { return }
        switch kind {
        case .name: if !missing.contains(name) { missing.append(name) }
        case .all, .any: for child in children { child.collectMissing(scopes, into: &missing) }
        case .not: break  // nothing to add: a scope to give up
        }
    }
}
