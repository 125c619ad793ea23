#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A key's row as verification reads it: the request's identity plus the hash and the revocation
/// flag. An immutable copy, so that a cache can hand it to every request at once.
///
/// ```swift
/// let row = try await FluentAPIKeyStore(APIKey.self, on: db).record(forPrefix: "C7oAzBnJ")
/// row?.identity.name
/// ```
public struct APIKeyRow<Model: APIKeyModel>: APIKeyRecord, Hashable {
    /// What a request that presents this key may know about it.
    public let identity: APIKeyIdentity<Model>
    /// The stored hash.
    public let hashedKey: String
    /// Whether the key was revoked.
    public let isRevoked: Bool
    /// `false` when the model's ``APIKeyModel/usableKeys(_:)`` rule refuses the key (say, its
    /// owner is inactive).
    public let isUsable: Bool

    /// The row of `model`; `isUsable: false` for a row the model's rule refuses.
    ///
    /// - Throws: FluentKit's `FluentError.idRequired` for a model that was never saved.
    public init(_ model: Model, isUsable: Bool = true) throws {
        self.identity = try APIKeyIdentity(model)
        self.hashedKey = model.hashedKey
        self.isRevoked = model.isRevoked
        self.isUsable = isUsable
    }

    /// The public lookup part of the key.
    public var prefix: String { identity.prefix }
    /// When the key stops working, or `nil` for never.
    public var expiresAt: Date? { identity.expiresAt }
}
