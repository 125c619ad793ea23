/// The scopes a key holds, as stored: names, without repeats. A name the app does not declare
/// is kept (it was stored) but can never satisfy a ``ScopeRequirement``, which names only
/// declared scopes.
///
/// ```swift
/// let key = try req.requireAPIKey()
/// if key.scopes.contains(ReportScope.write) { … }
/// key.scopes.names   // ["reports:read", "reports:write"]
/// ```
public struct APIKeyScopes: Sendable, Hashable, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The names, in the order they were stored.
    public let names: [String]

    /// The scopes named `names`; repeats are dropped.
    public init(_ names: some Sequence<String>) {
        var unique: [String] = []
        for name in names where !unique.contains(name) { unique.append(name) }
        self.names = unique
    }

    /// `["reports:read", "reports:write"]`
    public init(arrayLiteral names: String...) {
        self.init(names)
    }

    /// No scopes.
    public static let none = APIKeyScopes([])

    /// Whether the key holds `scope`.
    public func contains(_ scope: some APIKeyScope) -> Bool {
        contains(scope.rawValue)
    }

    /// Whether the key holds the scope named `name`. A linear scan: keys hold a handful of
    /// scopes, and comparing a few short strings costs less than hashing one.
    public func contains(_ name: String) -> Bool {
        names.contains(name)
    }

    /// Whether the key holds no scope.
    public var isEmpty: Bool { names.isEmpty }

    /// `reports:read reports:write`: the names, space-separated, as OAuth writes scopes.
    public var description: String { names.joined(separator: " ") }
}
