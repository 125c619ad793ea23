#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// What verification needs to know about a stored key.
///
/// Stores return their own record types (a snapshot of a Fluent model, a row of your own); the
/// verifier hands the same record back in ``APIKeyVerification/valid(_:)``, so it can carry
/// whatever the app needs: an owner, a name, scopes.
///
/// ```swift
/// struct PartnerKey: APIKeyRecord {
///     let prefix: String
///     let hashedKey: String
///     let isRevoked: Bool
///     let expiresAt: Date?
///     let partnerID: UUID
/// }
/// ```
public protocol APIKeyRecord: Sendable {
    /// The public lookup part of the key.
    var prefix: String { get }
    /// The stored hash, `sha512$$…` or a legacy format.
    var hashedKey: String { get }
    /// Whether the key was revoked; a revoked key is refused for good.
    var isRevoked: Bool { get }
    /// When the key stops working, or `nil` for never. A key is expired once this is strictly in
    /// the past.
    var expiresAt: Date? { get }
    /// Whether the key may be used at all, beyond revocation and expiry: `false` when a rule of
    /// its store refuses it (say, its owner is inactive). `true` unless a store says otherwise.
    var isUsable: Bool { get }
    /// Whether the store could read the key's row: `false` when a column holds what its type
    /// cannot (a date that is not a date), and then nothing else here is known and the key is
    /// refused. `true` unless a store says otherwise.
    var isReadable: Bool { get }
    /// Whether the key is suspended: refused, like a revoked key, until it is resumed. `false`
    /// unless a store says otherwise.
    var isSuspended: Bool { get }
    /// The addresses the key may be used from; anywhere unless a store says otherwise.
    var allowlist: IPAllowlist { get }
}

extension APIKeyRecord {
    /// Every key is usable unless its store says otherwise.
    public var isUsable: Bool { true }

    /// Every row is readable unless its store says otherwise.
    public var isReadable: Bool { true }

    /// No key is suspended unless its store says otherwise.
    public var isSuspended: Bool { false }

    /// Every key may be used from anywhere unless its store says otherwise.
    public var allowlist: IPAllowlist { .anywhere }

    /// Whether the key has expired at `now`: `expiresAt < now`, so a key is still valid at the
    /// very instant it expires, as upstream's `has_expired` has it.
    ///
    /// ```swift
    /// if record.hasExpired(at: Date()) { … }
    /// ```
    public func hasExpired(at now: Date) -> Bool {
        guard let expiresAt else { return false }
        return expiresAt < now
    }
}
