import APIKeyCore
import APIKeyDjango
import APIKeyFluent
import FluentKit
import Foundation
import SQLKit
import TestSupport
import Testing

/// Where scopes, suspension, allowlists and metadata are kept: the built-in table's new columns,
/// added in place to a database made before them, and djangorestframework-api-key's table, which
/// keeps none of it and is never altered.
@Suite("Storage for what a key may do")
struct AccessStorageTests {
    @Test("a database made by the earlier migration, with keys in it, upgrades in place: its keys keep verifying", arguments: TestDatabase.all)
    func upgradeInPlace(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateAPIKeys()]) { db in
            // A key as the earlier version wrote it: the columns it knew, through SQL.
            let scheme = KeyScheme()
            let newKey = scheme.makeKey()
            try await (db as! any SQLDatabase).insert(into: APIKey.schema)
                .columns("id", "prefix", "hashed_key", "name", "created_at", "revoked", "expires_at")
                .values(SQLBind(UUID()), SQLBind(newKey.prefix), SQLBind(newKey.hashedKey), SQLBind("before"), SQLBind(Date()), SQLBind(false), SQLLiteral.null)
                .run()
            try await AddAPIKeyAccessFields().prepare(on: db)
            try await AddAPIKeyRateLimit().prepare(on: db)
            try await AddAPIKeyRotation().prepare(on: db)
            try await AddAPIKeyRevocationTime().prepare(on: db)

            let keys = APIKeyManager(APIKey.self, on: db, settings: APIKeySettings(scopes: DeclaredScopes(TestScope.self)))
            let identity = try #require(await keys.verify(newKey.plaintext.reveal()).identity)
            #expect(identity.name == "before" && identity.scopes.isEmpty && identity.metadata.isEmpty)
            let model = try #require(try await keys.model(prefix: newKey.prefix))
            #expect(model.scopes == [] && !model.isSuspended && model.allowedIPs == [] && model.metadata == nil)

            // The new fields work on the old row.
            model.scopes = ["reports:read"]
            model.metadata = try APIKeyMetadata(json: #"{"migrated":true}"#)
            try await keys.update(model)
            let updated = try #require(await keys.verify(newKey.plaintext.reveal()).identity)
            #expect(updated.scopes == ["reports:read"] && updated.metadata["migrated"] == .bool(true))
            try await keys.suspend(prefixes: [newKey.prefix])
            #expect(await keys.verify(newKey.plaintext.reveal()).denial == .suspended)

            // And it reverts, keeping the row and its earlier columns.
            try await AddAPIKeyRevocationTime().revert(on: db)
            try await AddAPIKeyRotation().revert(on: db)
            try await AddAPIKeyRateLimit().revert(on: db)
            try await AddAPIKeyAccessFields().revert(on: db)
            let rows = try await (db as! any SQLDatabase).select().column("prefix").from(APIKey.schema).all()
            #expect(try rows.map { try $0.decode(column: "prefix", as: String.self) } == [newKey.prefix])
            await #expect(throws: (any Error).self) { try await (db as! any SQLDatabase).select().column("scopes").from(APIKey.schema).all() }
        }
    }

    @Test("filters: by scope and by state, on each database's list column", arguments: TestDatabase.all)
    func filters(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: APIKeyMigrations.all) { db in
            let keys = APIKeyManager(APIKey.self, on: db, settings: APIKeySettings(scopes: DeclaredScopes(TestScope.self)))
            let (reader, _) = try await keys.createKey(name: "reader", scopes: [TestScope.read])
            let (both, _) = try await keys.createKey(name: "both", scopes: [TestScope.read, .write])
            let (paused, _) = try await keys.createKey(name: "paused", scopes: [TestScope.write])
            try await keys.suspend(prefixes: [paused.prefix])
            let (revoked, _) = try await keys.createKey(name: "revoked", scopes: ["reports:write"], revoked: true)
            try await keys.suspend(prefixes: [revoked.prefix])

            func names(_ query: APIKeyQuery) async throws -> Set<String> { Set(try await keys.list(query).summaries.map(\.name)) }
            #expect(try await names(APIKeyQuery(scope: "reports:read")) == ["reader", "both"])
            #expect(try await names(APIKeyQuery(scope: "reports:write")) == ["both", "paused", "revoked"])
            #expect(try await names(APIKeyQuery(scope: "reports")) == [], "a whole name, not a part")
            #expect(try await names(APIKeyQuery(scope: "%")) == [])
            #expect(try await names(APIKeyQuery(status: .suspended)) == ["paused"], "a revoked key is not suspended: it is revoked")
            #expect(try await names(APIKeyQuery(status: .active)) == ["reader", "both"])
            let summary = try #require(try await keys.list(APIKeyQuery(status: .suspended)).summaries.first)
            #expect(summary.status == "suspended" && summary.suspended && summary.scopes == ["reports:write"])
            _ = (reader, both)
        }
    }

    @Test("djangorestframework-api-key's table keeps none of it: setting any is refused in words, and its keys verify as before", arguments: TestDatabase.all)
    func djangoTable(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreateDjangoAPIKeys()]) { db in
            let keys = APIKeyManager(DjangoAPIKey.self, on: db, settings: APIKeySettings(scopes: DeclaredScopes(TestScope.self)))
            await #expect(throws: APIKeyManagerError.notSupported(by: "DjangoAPIKey")) { try await keys.createKey(name: "x", scopes: ["reports:read"]) }
            await #expect(throws: APIKeyManagerError.notSupported(by: "DjangoAPIKey")) { try await keys.createKey(name: "x", allowedIPs: ["10.0.0.0/8"]) }
            let (record, key) = try await keys.createKey(name: "plain")
            await #expect(throws: APIKeyManagerError.notSupported(by: "DjangoAPIKey")) { try await keys.suspend(prefixes: [record.prefix]) }
            let identity = try #require(await keys.verify(key.reveal()).identity)
            #expect(identity.scopes.isEmpty)
            #expect(APIKeyManagerError.notSupported(by: "DjangoAPIKey").statusCode == 400)
            #expect(try await keys.list(APIKeyQuery(scope: "reports:read")).summaries.isEmpty)
            #expect(try await keys.list(APIKeyQuery(status: .suspended)).summaries.isEmpty)
        }
    }
}

/// A custom key model that opts in: the four fields, and the columns from
/// `addAPIKeyAccessFields(toTable:)`.
final class PartnerKey: AccessControlledAPIKeyModel, @unchecked Sendable {
    static let schema = "partner_keys"
    @ID(key: .id) var id: UUID?
    @Field(key: APIKeyColumn.prefix) var prefix: String
    @Field(key: APIKeyColumn.hashedKey) var hashedKey: String
    @Field(key: APIKeyColumn.name) var name: String
    @Timestamp(key: APIKeyColumn.createdAt, on: .create) var createdAt: Date?
    @Field(key: APIKeyColumn.revoked) var isRevoked: Bool
    @OptionalField(key: APIKeyColumn.expiresAt) var expiresAt: Date?
    @Field(key: APIKeyColumn.scopes) var scopes: [String]
    @Field(key: APIKeyColumn.suspended) var isSuspended: Bool
    @Field(key: APIKeyColumn.allowedIPs) var allowedIPs: [String]
    @OptionalField(key: APIKeyColumn.metadata) var metadata: APIKeyMetadata?
    @Field(key: "partner") var partner: String
    init() {}
}

struct CreatePartnerKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PartnerKey.schema).id().apiKeyFields().field("partner", .string, .required).create()
        try await database.addAPIKeyAccessFields(toTable: PartnerKey.schema)
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PartnerKey.schema).delete()
    }
}

@Suite("A custom key model that keeps scopes, suspension, allowlists and metadata")
struct CustomAccessModelTests {
    @Test("created with them, verified with them, suspended, filtered", arguments: TestDatabase.all)
    func customModel(database: TestDatabase) async throws {
        try await withTestDatabase(database, migrations: [CreatePartnerKeys()]) { db in
            let keys = APIKeyManager(PartnerKey.self, on: db, settings: APIKeySettings(scopes: DeclaredScopes(TestScope.self)))
            let (record, key) = try await keys.createKey(
                name: "acme", scopes: [TestScope.write], allowedIPs: ["198.51.100.0/24"], metadata: try APIKeyMetadata(json: #"{"tier":1}"#)
            ) { $0.partner = "Acme" }
            let facts = APIKeyRequestFacts(clientAddress: try IPAddress("198.51.100.20"))
            let verifier = APIKeyVerifier(store: FluentAPIKeyStore(PartnerKey.self, on: db))
            let identity = try #require(await verifier.verify(.key(key.reveal()), facts: facts).identity?.identity)
            #expect(identity.scopes == ["reports:write"] && identity.metadata["tier"] == .number(1))
            #expect(await verifier.verify(.key(key.reveal()), facts: APIKeyRequestFacts(clientAddress: try IPAddress("203.0.113.1"))).denial == .addressNotAllowed)
            try await keys.suspend(prefixes: [record.prefix])
            #expect(await verifier.verify(.key(key.reveal()), facts: facts).denial == .suspended)
            #expect(try await keys.list(APIKeyQuery(status: .suspended, scope: "reports:write")).summaries.map(\.name) == ["acme"])
        }
    }
}
