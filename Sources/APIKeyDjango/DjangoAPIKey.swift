public import APIKeyFluent
public import FluentKit
#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// djangorestframework-api-key's own table, `rest_framework_api_key_apikey`, as a key model:
/// a Swift service and a Django service can share it, keys and all.
///
/// The `id` is upstream's string primary key, treated as opaque: keys made here get
/// `prefix + "." + hashed_key` as upstream does, and legacy rows keep theirs, even after their
/// hash is upgraded. Dates are stored as Django stores them (see ``DjangoDateTime``).
///
/// ```swift
/// app.migrations.add(CreateDjangoAPIKeys())              // leaves an existing table alone
/// app.grouped(HasAPIKey(DjangoAPIKey.self)).get("protected") { req in … }
/// let (record, key) = try await APIKeyManager(DjangoAPIKey.self, on: db).createKey(name: "partner")
/// ```
public final class DjangoAPIKey: APIKeyModel, @unchecked Sendable {
    // @unchecked: a Fluent model, mutated by its property wrappers, like every Fluent model.

    /// `rest_framework_api_key_apikey`
    public static let schema = "rest_framework_api_key_apikey"

    /// Upstream's primary key, `varchar(150)`: opaque, never parsed.
    @ID(custom: "id", generatedBy: .user) public var id: String?
    /// `varchar(8)`, unique.
    @Field(key: "prefix") public var prefix: String
    /// `varchar(150)`.
    @Field(key: "hashed_key") public var hashedKey: String
    /// When the key was made.
    @Field(key: "created") public var created: DjangoDateTime
    /// `varchar(50)`.
    @Field(key: "name") public var name: String
    /// Whether the key was revoked.
    @Field(key: "revoked") public var isRevoked: Bool
    /// When the key expires (`expiry_date`), if ever.
    @OptionalField(key: "expiry_date") public var expiryDate: DjangoDateTime?

    /// The empty model Fluent requires.
    public init() {}

    /// When the key was made; `nil` if the stored date is outside 0001–9999.
    public var createdAt: Date? { StoredDate.instant($created.value?.date) }

    /// When the key stops working, or `nil` for never. A stored date after 9999 (PostgreSQL's
    /// `infinity`) is never; one before 0001 (`-infinity`) is long expired.
    public var expiresAt: Date? {
        get { StoredDate.expiry(expiryDate?.date) }
        set { expiryDate = newValue.map(DjangoDateTime.init) }
    }

    /// The key's name, as upstream's `__str__`.
    public var description: String { name }

    /// Sets the prefix and hash, and, as upstream's `assign_key` and `auto_now_add` do, the
    /// `id` and `created` columns (Django sets no database defaults).
    public func assignKey(_ newKey: NewAPIKey) {
        prefix = newKey.prefix
        hashedKey = newKey.hashedKey
        id = newKey.prefix + "." + newKey.hashedKey
        if $created.value == nil { created = DjangoDateTime(Date()) }
    }

    /// Dates are compared in Django's format.
    public static func databaseValue(for date: Date) -> any Codable & Sendable { DjangoDateTime(date) }

    /// `created`
    public static var createdAtKey: FieldKey { "created" }
    /// `expiry_date`
    public static var expiresAtKey: FieldKey { "expiry_date" }
    /// Yes: its keys keep djangorestframework-api-key's format and hash.
    public static var isReadByDjango: Bool { true }
}
