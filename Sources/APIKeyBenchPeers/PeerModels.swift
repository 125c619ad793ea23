import FluentKit
import Foundation

/// What an app would build without this library, as the frameworks' documentation teaches it:
/// users, and tokens stored in plain text, looked up with one query per request. Only for
/// `scripts/bench-http.sh`, which compares the example services with these.
final class PeerUser: Model, @unchecked Sendable {
    // `@unchecked`: a Fluent model, mutated by its property wrappers, like every Fluent model.
    static let schema = "peer_users"
    @ID(key: .id) var id: UUID?
    @Field(key: "name") var name: String
    init() {}
    init(name: String) { self.name = name }
}

final class PeerToken: Model, @unchecked Sendable {
    // `@unchecked`: as above.
    static let schema = "peer_tokens"
    @ID(key: .id) var id: UUID?
    @Field(key: "value") var value: String
    @Parent(key: "user_id") var user: PeerUser
    init() {}
}

struct CreatePeerTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(PeerUser.schema).id().field("name", .string, .required).create()
        try await database.schema(PeerToken.schema).id()
            .field("value", .string, .required).unique(on: "value")
            .field("user_id", .uuid, .required, .references(PeerUser.schema, .id))
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(PeerToken.schema).delete()
        try await database.schema(PeerUser.schema).delete()
    }
}
