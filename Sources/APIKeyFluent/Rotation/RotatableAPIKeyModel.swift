package import APIKeyCore
public import FluentKit
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A key model whose keys can be rotated (``APIKeyManager/rotate(prefix:grace:expiresAt:)``):
/// a new key replaces an old one, which keeps working for a grace period. Each key remembers
/// what it replaced and what replaced it, so the lineage survives any number of rotations. The
/// built-in ``APIKey`` adopts it; a custom model declares the three fields and adds the columns
/// with `Database.addAPIKeyRotation(toTable:)`:
///
/// ```swift
/// @OptionalField(key: APIKeyColumn.rotatedFrom) var rotatedFrom: String?
/// @OptionalField(key: APIKeyColumn.replacedBy) var replacedBy: String?
/// @OptionalField(key: APIKeyColumn.replacedAt) var replacedAt: Date?
///
/// func prepareReplacement(_ replacement: OrganizationAPIKey) {
///     replacement.$organization.id = $organization.id   // the model's own fields
/// }
/// ```
public protocol RotatableAPIKeyModel: APIKeyModel {
    /// The prefix of the key this one replaced, if it came from a rotation.
    var rotatedFrom: String? { get set }
    /// The prefix of the key that replaced this one, once it was rotated.
    var replacedBy: String? { get set }
    /// When this key was rotated: from then on it works only until its expiry, the end of its
    /// grace period.
    var replacedAt: Date? { get set }

    /// The column of ``replacedBy``, which a rotation claims; `replaced_by` by default.
    static var replacedByKey: FieldKey { get }

    /// Copies the model's own fields (an owner, say) to the key that replaces it, before it is
    /// saved: the name, scopes, allowlist, metadata and rate limit are copied already. Nothing by
    /// default.
    func prepareReplacement(_ replacement: Self)
}

extension RotatableAPIKeyModel {
    /// `replaced_by`
    public static var replacedByKey: FieldKey { APIKeyColumn.replacedBy }

    /// Nothing to copy.
    public func prepareReplacement(_ replacement: Self) {}

    /// ``prepareReplacement(_:)`` for a replacement of any model type: only one of this model's.
    func prepare(replacement: any APIKeyModel) {
        guard let replacement = replacement as? Self else { return }
        replacement.rotatedFrom = prefix
        prepareReplacement(replacement)
    }
}

extension APIKeyColumn {
    /// `rotated_from`, for ``RotatableAPIKeyModel``
    public static let rotatedFrom: FieldKey = "rotated_from"
    /// `replaced_by`, for ``RotatableAPIKeyModel``
    public static let replacedBy: FieldKey = "replaced_by"
    /// `replaced_at`, for ``RotatableAPIKeyModel``
    public static let replacedAt: FieldKey = "replaced_at"
}

extension APIKeyModel {
    /// Whether the model's keys can be rotated.
    package static var isRotatable: Bool { Self.self is any RotatableAPIKeyModel.Type }

    /// The key's deprecation, if it was rotated: it works until its expiry (never later than the
    /// grace period's end the rotation set).
    package var deprecation: APIKeyDeprecation? {
        guard let rotated = self as? any RotatableAPIKeyModel, let replacedAt = rotated.replacedAt,
            StoredDate.isOrdinary(replacedAt)
        else { return nil }
        return APIKeyDeprecation(replacedAt: replacedAt, sunset: effectiveExpiry ?? replacedAt)
    }
}
