// Shared by both examples: FluentKit only.
import Crypto
package import FluentKit
package import Foundation

/// Where the examples' admin sessions live: a table, so that every instance behind a load
/// balancer shares them and each one expires on the server, not only in the browser.
///
/// - A session is stored only when someone signs in: a request without a cookie, or with one
///   the server never issued, stores nothing.
/// - Its id changes when it signs in (no fixation: an id planted before sign-in is worth
///   nothing after); signing out ends it, and an ended session is never saved again. Only a SHA-256 of the id is stored, so reading the table gives no
///   session away.
/// - It ends after ``idleLifetime`` without a request, and ``lifetime`` after sign-in in any case.
/// - At most ``capacity`` sessions are kept; signing in past that ends the oldest.
package enum AdminSessionStore {
    package static let idleLifetime: TimeInterval = 30 * 60
    package static let lifetime: TimeInterval = 12 * 60 * 60
    package static let capacity = 1_000
    /// The session key that marks a signed-in administrator.
    package static let signedIn = "admin"

    /// The session's data, or `nil` when the id is unknown or the session expired (it is removed).
    package static func read(_ id: String, on database: any Database) async throws -> [String: String]? {
        guard let row = try await AdminSessionRow.find(digest(id), on: database) else { return nil }
        guard row.expiresAt > Date() else {
            try await row.delete(on: database)
            return nil
        }
        return try JSONDecoder().decode([String: String].self, from: Data(row.data.utf8))
    }

    /// Stores new data for a session that is still live, and returns its id (a new one when it
    /// just signed in); `nil` when the session has ended meanwhile (signed out by another request,
    /// expired, or evicted) or signs out now. A session that ended is never brought back: only
    /// sign-in creates one. The caller clears the cookie on `nil`.
    ///
    /// Sessions are read when a request starts and saved when it ends: a request whose body was
    /// still arriving while `/logout` ran would otherwise sign its session in again, with a fresh
    /// 12-hour allowance.
    package static func update(_ id: String, to data: [String: String], on database: any Database) async throws -> String? {
        guard let row = try await AdminSessionRow.find(digest(id), on: database), row.expiresAt > Date() else { return nil }
        let before = try JSONDecoder().decode([String: String].self, from: Data(row.data.utf8))
        if before[signedIn] != data[signedIn] {
            try await row.delete(on: database)
            // A new id at sign-in (no fixation); signing out ends the session.
            return data[signedIn] == nil ? nil : try await create(data, on: database)
        }
        row.data = try encode(data)
        row.expiresAt = min(Date().addingTimeInterval(idleLifetime), row.signedInAt.addingTimeInterval(lifetime))
        try await row.update(on: database)
        return id
    }

    /// Ends the session.
    package static func delete(_ id: String, on database: any Database) async throws {
        try await AdminSessionRow.query(on: database).filter(\.$id == digest(id)).delete()
    }

    /// Stores a new session, if it holds anything worth keeping, and returns its id; an empty one
    /// gets an id that names nothing.
    package static func create(_ data: [String: String], on database: any Database) async throws -> String {
        let id = Data((0..<32).map { _ in UInt8.random(in: .min ... .max) }).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        guard !data.isEmpty else { return id }
        let now = Date()
        try await AdminSessionRow.query(on: database).filter(\.$expiresAt <= now).delete()
        let live = try await AdminSessionRow.query(on: database).count()
        if live >= capacity {
            let oldest = try await AdminSessionRow.query(on: database).sort(\.$signedInAt).limit(live - capacity + 1).all()
            for row in oldest { try await row.delete(on: database) }
        }
        let row = AdminSessionRow()
        row.id = digest(id)
        row.data = try encode(data)
        row.signedInAt = now
        row.expiresAt = now.addingTimeInterval(idleLifetime)
        try await row.create(on: database)
        return id
    }

    private static func digest(_ id: String) -> String {
        SHA256.hash(data: Data(id.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    private static func encode(_ data: [String: String]) throws -> String {
        String(decoding: try JSONEncoder().encode(data), as: UTF8.self)
    }
}

package final class AdminSessionRow: Model, @unchecked Sendable {
    // `@unchecked`: Fluent models are mutable reference types; each instance here lives within
    // one request's task and is never shared.
    package static let schema = "example_admin_sessions"
    /// SHA-256 of the session id, in hex.
    @ID(custom: "id", generatedBy: .user) package var id: String?
    @Field(key: "data") package var data: String
    @Field(key: "signed_in_at") package var signedInAt: Date
    @Field(key: "expires_at") package var expiresAt: Date
    package init() {}
}

package struct CreateAdminSessions: AsyncMigration {
    package init() {}
    package var name: String { "Example.CreateAdminSessions" }
    package func prepare(on database: any Database) async throws {
        try await database.schema(AdminSessionRow.schema)
            .field("id", .string, .identifier(auto: false))
            .field("data", .string, .required)
            .field("signed_in_at", .datetime, .required)
            .field("expires_at", .datetime, .required)
            .create()
    }
    package func revert(on database: any Database) async throws {
        try await database.schema(AdminSessionRow.schema).delete()
    }
}

/// The admin password's bcrypt hash: one row.
package final class AdminCredential: Model, @unchecked Sendable {
    // `@unchecked`: as above.
    package static let schema = "example_admin_credentials"
    @ID(key: .id) package var id: UUID?
    @Field(key: "password_hash") package var passwordHash: String
    package init() {}

    package static func store(hash: String, on database: any Database) async throws {
        try await AdminCredential.query(on: database).delete()
        let credential = AdminCredential()
        credential.passwordHash = hash
        try await credential.create(on: database)
    }
}

package struct CreateAdminCredential: AsyncMigration {
    package init() {}
    package var name: String { "Example.CreateAdminCredential" }
    package func prepare(on database: any Database) async throws {
        try await database.schema(AdminCredential.schema).id().field("password_hash", .string, .required).create()
    }
    package func revert(on database: any Database) async throws {
        try await database.schema(AdminCredential.schema).delete()
    }
}

/// The sign-in page of both examples.
package enum SignInPage {
    /// A sign-out POST without the panel's CSRF token (from another site, or a stale page).
    package static let signOutRefused = "You are still signed in: signing out needs the Sign out button of the admin panel. Open /admin/keys and use it."

    package static func html(error: String?) -> String {
        let message = error.map { #"<p class="error" role="alert">\#($0)</p>"# } ?? ""
        return """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in · API keys</title>
            <style>body{font:15px system-ui,sans-serif;display:grid;place-items:center;min-height:90vh;background:rgb(246,248,250)}
            form{background:white;border:1px solid rgb(208,215,222);border-radius:6px;padding:24px;display:grid;gap:12px}
            input,button{padding:6px 10px;font:inherit}.error{color:rgb(207,34,46)}</style></head>
            <body><form method="post" action="/login"><h1>API keys admin</h1>\(message)
            <label>Password <input type="password" name="password" autofocus required></label>
            <button type="submit">Sign in</button></form></body></html>
            """
    }
}
