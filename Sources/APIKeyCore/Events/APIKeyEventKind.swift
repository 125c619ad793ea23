/// What happened to a key: a stable snake-case code, for logs, audit tables and metrics.
///
/// New kinds are added as the library grows, so match the ones you care about and keep a
/// default:
///
/// ```swift
/// switch event.kind {
/// case .revoked, .leakRevoked: await pager.notify("key \(event.prefix) revoked")
/// default: break
/// }
/// ```
public struct APIKeyEventKind: Sendable, Hashable, CustomStringConvertible {
    /// The code: `leak_revoked`. Stable across versions.
    public let code: String

    /// The kind with this code: one of the library's, or one a later version wrote to the
    /// audit table.
    package init(code: String) { self.code = code }

    /// A key was made.
    public static let created = APIKeyEventKind(code: "created")
    /// A key's name, expiry, scopes, allowlist, metadata or rate limit changed.
    public static let updated = APIKeyEventKind(code: "updated")
    /// A key was replaced by a new one (the event is the old key's; its detail names the new).
    public static let rotated = APIKeyEventKind(code: "rotated")
    /// A key was suspended.
    public static let suspended = APIKeyEventKind(code: "suspended")
    /// A suspended key was let be used again.
    public static let resumed = APIKeyEventKind(code: "resumed")
    /// A key was revoked, for good.
    public static let revoked = APIKeyEventKind(code: "revoked")
    /// A key's row was deleted.
    public static let deleted = APIKeyEventKind(code: "deleted")
    /// A key in a legacy hash format was verified and its hash rewritten in the current one.
    public static let hashUpgraded = APIKeyEventKind(code: "hash_upgraded")
    /// A key was revoked because it was reported leaked (the leak endpoint); its detail says where
    /// it was found.
    public static let leakRevoked = APIKeyEventKind(code: "leak_revoked")

    /// The code.
    public var description: String { code }
}
