/// The scopes an app declares: what keys may be given, what the commands and the admin panel
/// offer, and the only names that can ever grant anything. A stored name the app does not
/// declare (a scope since removed, a typo written by hand into the database) grants nothing.
///
/// ```swift
/// app.apiKeys.scopes = DeclaredScopes(ReportScope.self)
/// try app.apiKeys.scopes.validate(["reports:read"])   // fine
/// try app.apiKeys.scopes.validate(["reports:delete"]) // throws, listing reports:read, reports:write
/// ```
public struct DeclaredScopes: Sendable, Hashable {
    /// The declared names, in declaration order.
    public let names: [String]

    /// The cases of `scope`, in declaration order.
    ///
    /// The names must be valid (1 to 64 characters of letters, digits and `: . _ -`) and
    /// distinct: a bad declaration stops the app at start, where it is written, not at the first
    /// key.
    public init<Scope: APIKeyScope>(_ scope: Scope.Type) {
        self.init(unchecked: Scope.allCases.map(\.rawValue))
        for name in names {
            precondition(Self.isWellFormed(name), "the scope \(name) is not a valid name: use 1 to 64 letters, digits and : . _ -")
        }
        precondition(Set(names).count == names.count, "\(Scope.self) declares a scope name twice")
    }

    private init(unchecked names: [String]) {
        self.names = names
    }

    /// No scopes: keys cannot be given any, and routes that require one refuse every key.
    public static let none = DeclaredScopes(unchecked: [])

    /// Whether `name` is declared.
    public func contains(_ name: String) -> Bool { names.contains(name) }

    /// `names`, without repeats, in declaration order; throws unless every one is declared.
    ///
    /// ```swift
    /// let scopes = try declared.validate(["reports:write", "reports:read", "reports:read"])
    /// // ["reports:read", "reports:write"]
    /// ```
    /// - Throws: ``APIKeyFieldError`` naming the undeclared scopes and listing the declared ones.
    public func validate(_ requested: some Sequence<String>) throws(APIKeyFieldError) -> [String] {
        let requested = Array(requested)
        let unknown = requested.filter { !contains($0) }
        guard unknown.isEmpty else {
            let listed = unknown.map { "'\(APIKeyFieldError.printable($0))'" }.joined(separator: ", ")
            throw APIKeyFieldError(
                field: .scopes,
                description: names.isEmpty
                    ? "This app declares no scopes, so keys cannot be given any (asked for \(listed))."
                    : "Unknown scope \(listed). Declared scopes: \(names.joined(separator: ", ")).")
        }
        return names.filter(requested.contains)
    }

    /// 1 to 64 characters of ASCII letters, digits and `: . _ -`: no spaces (the
    /// `WWW-Authenticate` scope list is space-separated), no quotes, no wildcards.
    static func isWellFormed(_ name: String) -> Bool {
        let utf8 = name.utf8
        return (1...64).contains(utf8.count) && utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: ":"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
                true
            default: false
            }
        }
    }
}
