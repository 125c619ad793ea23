public import FluentKit
import SQLKit

/// Creates `api_key_idempotency`: the management API's writes done with an `Idempotency-Key`,
/// kept 24 hours, so that a retry answers with what the first request did on whichever
/// instance it lands. Add it with the API's mount.
///
/// ```swift
/// app.migrations.add(CreateAPIKeyIdempotency())
/// try app.apiKeys.mountManagement(APIKeyManagementAPI(), at: "api", "v1")
/// ```
public struct CreateAPIKeyIdempotency: AsyncMigration {
    /// A stable name, so that moving or renaming this type never re-runs it.
    public var name: String { "APIKeyManagement.CreateAPIKeyIdempotency" }

    /// The migration.
    public init() {}

    /// Creates the table, unique per owner and key.
    public func prepare(on database: any Database) async throws {
        try await database.schema(IdempotencyTable.name)
            .field(IdempotencyTable.scope, .string, .required)
            .field(IdempotencyTable.key, .string, .required)
            .field(IdempotencyTable.fingerprint, .string, .required)
            .field(IdempotencyTable.claim, .string, .required)
            .field(IdempotencyTable.outcome, .string)
            .field(IdempotencyTable.createdAt, .datetime, .required)
            .unique(on: IdempotencyTable.scope, IdempotencyTable.key)
            .create()
    }

    /// Drops the table.
    public func revert(on database: any Database) async throws {
        try await database.schema(IdempotencyTable.name).delete()
    }
}

/// The table's names.
enum IdempotencyTable {
    static let name = "api_key_idempotency"
    /// Whose writes: the caller's key table and owner.
    static let scope: FieldKey = "scope"
    /// The client's `Idempotency-Key`.
    static let key: FieldKey = "idempotency_key"
    /// A SHA-256 of the operation and its input: a key reused for another request is refused.
    static let fingerprint: FieldKey = "fingerprint"
    /// A random value of the instance that inserted the row: who runs the write.
    static let claim: FieldKey = "claim"
    /// What the write did (`key:PREFIX`, `deleted`); `NULL` while it runs.
    static let outcome: FieldKey = "outcome"
    static let createdAt: FieldKey = "created_at"
}
