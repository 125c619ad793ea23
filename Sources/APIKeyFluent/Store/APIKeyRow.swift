public import APIKeyCore
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A key's row as verification reads it (the record of ``FluentAPIKeyStore``): the request's
/// identity plus the hash and the revocation flag. An immutable copy, so that a cache can hand it
/// to every request at once.
///
/// ```swift
/// let row = try await FluentAPIKeyStore(APIKey.self, on: db).record(forPrefix: "C7oAzBnJ")
/// row?.identity?.name
/// ```
public struct APIKeyRow<Model: APIKeyModel>: APIKeyRecord, Hashable {
    /// What a request that presents this key may know about it; `nil` when the row could not be
    /// read (see ``isReadable``).
    public let identity: APIKeyIdentity<Model>?
    /// The public lookup part of the key.
    public let prefix: String
    /// The stored hash.
    public let hashedKey: String
    /// Whether the key was revoked.
    public let isRevoked: Bool
    /// `false` when the model's ``APIKeyModel/usableKeys(_:)`` rule refuses the key (say, its
    /// owner is inactive).
    public let isUsable: Bool
    /// Whether the row could be read.
    public let isReadable: Bool
    /// When the key stops working, or `nil` for never.
    // Both stored, not read through `identity`: every request asks, and reading an optional
    // generic struct copies it.
    public let expiresAt: Date?
    /// Whether the key is suspended.
    public let isSuspended: Bool
    /// The addresses the key may be used from.
    public let allowlist: IPAllowlist

    /// The row of `model`; `isUsable: false` for a row the model's rule refuses.
    ///
    /// - Throws: FluentKit's `FluentError.idRequired` for a model that was never saved.
    public init(_ model: Model, isUsable: Bool = true) throws {
        let access = try model.readableAccess()
        let identity = try APIKeyIdentity(model, access: access)
        self.identity = identity
        self.prefix = model.prefix
        self.hashedKey = model.hashedKey
        self.isRevoked = model.isRevoked
        self.isUsable = isUsable
        self.isReadable = true
        self.expiresAt = identity.expiresAt
        self.isSuspended = access.isSuspended
        // Parsed once, when the key is looked up: every request compares against the ranges.
        self.allowlist = IPAllowlist(stored: access.allowedIPs)
    }

    /// The row of a key the model's ``APIKeyModel/usableKeys(_:)`` rule refuses: checked and
    /// refused as `APIKeyDenial.unusable`, so it carries no identity (whose details
    /// may read what the rule's join brings, absent here).
    init(unusable model: Model) {
        self.identity = nil
        self.prefix = model.prefix
        self.hashedKey = model.hashedKey
        self.isRevoked = model.isRevoked
        self.isUsable = false
        self.isReadable = true
        self.expiresAt = model.effectiveExpiry
        self.isSuspended = false
        self.allowlist = .anywhere
    }

    /// The row with this prefix that could not be read: a column holds what its type cannot
    /// (a date that is not a date). Verification refuses it as `APIKeyDenial.unreadableRecord`.
    public init(unreadablePrefix prefix: String) {
        self.identity = nil
        self.prefix = prefix
        self.hashedKey = ""
        self.isRevoked = false
        self.isUsable = false
        self.isReadable = false
        self.expiresAt = nil
        self.isSuspended = false
        self.allowlist = .anywhere
    }
}
