/// One thing a key may be allowed to do, declared by the app as a `String`-backed enum: its raw
/// value is what the database stores and what the commands, the admin panel and
/// `WWW-Authenticate` show.
///
/// ```swift
/// enum ReportScope: String, APIKeyScope {
///     case read = "reports:read"
///     case write = "reports:write"
/// }
/// app.apiKeys.scopes = DeclaredScopes(ReportScope.self)
/// app.grouped(HasAPIKey(requiring: ReportScope.write)).post("reports") { … }
/// ```
///
/// A name is 1 to 64 characters of letters, digits and `: . _ -`, as `DeclaredScopes` checks.
/// There are no wildcards: a stored `reports:*` would silently grant scopes declared later.
public protocol APIKeyScope: RawRepresentable, CaseIterable, Sendable, Hashable where RawValue == String {}
