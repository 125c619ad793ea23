public import FluentKit
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A key model that remembers when each key was revoked, so that
/// `APIKeyManager.prune(revokedBefore:expiredBefore:dryRun:)` can delete keys revoked long
/// ago. The built-in `APIKey` is one; a custom model adds a `revoked_at` column with
/// `Database.addAPIKeyRevocationTime(toTable:)`:
///
/// ```swift
/// final class PartnerKey: APIKeyModel, RevocationDatedAPIKeyModel {
///     @OptionalField(key: APIKeyColumn.revokedAt) var revokedAt: Date?
///     // …
/// }
/// ```
///
/// The manager sets it on every revocation (the commands, the admin panel, leak reports). Keys
/// revoked before the column existed have none: prune keeps them, and says how many.
public protocol RevocationDatedAPIKeyModel: APIKeyModel {
    /// When the key was revoked; `nil` while it is not, or when that is not known.
    var revokedAt: Date? { get set }
    /// Its column: `revoked_at` by default.
    static var revokedAtKey: FieldKey { get }
}

extension RevocationDatedAPIKeyModel {
    /// `revoked_at`.
    public static var revokedAtKey: FieldKey { APIKeyColumn.revokedAt }
}

extension APIKeyColumn {
    /// `revoked_at`: when a key was revoked (``RevocationDatedAPIKeyModel``).
    public static let revokedAt: FieldKey = "revoked_at"
}

/// Adds `revoked_at` to `api_keys`: part of ``APIKeyMigrations/all``.
///
/// ```swift
/// app.migrations.add(AddAPIKeyRevocationTime())
/// ```
public struct AddAPIKeyRevocationTime: AsyncMigration {
    /// A stable name, so that moving or renaming this type never re-runs it.
    public var name: String { "APIKeyFluent.AddAPIKeyRevocationTime" }

    /// The migration.
    public init() {}

    /// Adds the column.
    public func prepare(on database: any Database) async throws {
        try await database.addAPIKeyRevocationTime(toTable: APIKey.schema)
    }

    /// Removes it.
    public func revert(on database: any Database) async throws {
        try await database.schema(APIKey.schema).deleteField(APIKeyColumn.revokedAt).update()
    }
}

extension Database {
    /// Adds the `revoked_at` column of ``RevocationDatedAPIKeyModel`` to a custom model's table.
    ///
    /// ```swift
    /// try await database.addAPIKeyRevocationTime(toTable: PartnerKey.schema)
    /// ```
    public func addAPIKeyRevocationTime(toTable table: String) async throws {
        try await schema(table).field(APIKeyColumn.revokedAt, .datetime).update()
    }
}
