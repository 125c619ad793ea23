import Crypto
import Fluent
import Vapor

/// Where the example's admin sessions live: a table, so that every instance behind a load
/// balancer shares them and each one expires on the server, not only in the browser.
///
/// - A session is stored only when someone signs in: a request without a cookie, or with one
///   the server never issued, stores nothing.
/// - Its id changes when it signs in (no fixation: an id planted before sign-in is worth nothing
///   after), and only a SHA-256 of the id is stored, so reading the table gives no session away.
/// - It ends after ``idleLifetime`` without a request, and ``lifetime`` after sign-in in any case.
/// - At most ``capacity`` sessions are kept; signing in past that ends the oldest.
struct AdminSessions: SessionDriver {
    static let idleLifetime: TimeInterval = 30 * 60
    static let lifetime: TimeInterval = 12 * 60 * 60
    static let capacity = 1_000

    func createSession(_ data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask { try await create(data, on: request.db) }
    }

    func readSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<SessionData?> {
        request.eventLoop.makeFutureWithTask {
            guard let row = try await AdminSession.find(Self.digest(sessionID), on: request.db) else { return nil }
            guard row.expiresAt > Date() else {
                try await row.delete(on: request.db)
                return nil
            }
            return try JSONDecoder().decode(SessionData.self, from: Data(row.data.utf8))
        }
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) -> EventLoopFuture<SessionID> {
        request.eventLoop.makeFutureWithTask {
            let id = Self.digest(sessionID)
            guard let row = try await AdminSession.find(id, on: request.db) else { return try await create(data, on: request.db) }
            // Signing in (or out) changes who the session is: it gets a new id.
            let before = try JSONDecoder().decode(SessionData.self, from: Data(row.data.utf8))
            if before[AdminLogin.signedIn] != data[AdminLogin.signedIn] {
                try await row.delete(on: request.db)
                return try await create(data, on: request.db)
            }
            row.data = try Self.encode(data)
            row.expiresAt = min(Date().addingTimeInterval(Self.idleLifetime), row.signedInAt.addingTimeInterval(Self.lifetime))
            try await row.update(on: request.db)
            return sessionID
        }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) -> EventLoopFuture<Void> {
        request.eventLoop.makeFutureWithTask {
            try await AdminSession.query(on: request.db).filter(\.$id == Self.digest(sessionID)).delete()
        }
    }

    /// Stores a new session, if it holds anything worth keeping; an empty one gets an id that
    /// names nothing.
    private func create(_ data: SessionData, on database: any Database) async throws -> SessionID {
        let id = SessionID(string: [UInt8].random(count: 32).base64URLString)
        guard !data.snapshot.isEmpty else { return id }
        let now = Date()
        try await AdminSession.query(on: database).filter(\.$expiresAt <= now).delete()
        let live = try await AdminSession.query(on: database).count()
        if live >= Self.capacity {
            let oldest = try await AdminSession.query(on: database).sort(\.$signedInAt).limit(live - Self.capacity + 1).all()
            for row in oldest { try await row.delete(on: database) }
        }
        let row = AdminSession()
        row.id = Self.digest(id)
        row.data = try Self.encode(data)
        row.signedInAt = now
        row.expiresAt = now.addingTimeInterval(Self.idleLifetime)
        try await row.create(on: database)
        return id
    }

    private static func digest(_ id: SessionID) -> String {
        SHA256.hash(data: Data(id.string.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func encode(_ data: SessionData) throws -> String {
        String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
    }
}

extension [UInt8] {
    /// Base64 for URLs and cookies, without padding.
    var base64URLString: String {
        base64String().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

final class AdminSession: Model, @unchecked Sendable {
    // `@unchecked`: Fluent models are mutable reference types; each instance here lives within
    // one request's task and is never shared.
    static let schema = "example_admin_sessions"
    /// SHA-256 of the session id, in hex.
    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "data") var data: String
    @Field(key: "signed_in_at") var signedInAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    init() {}
}

struct CreateAdminSessions: AsyncMigration {
    var name: String { "Example.CreateAdminSessions" }
    func prepare(on database: any Database) async throws {
        try await database.schema(AdminSession.schema)
            .field("id", .string, .identifier(auto: false))
            .field("data", .string, .required)
            .field("signed_in_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(AdminSession.schema).delete()
    }
}
