import Fluent
import Vapor

/// The example's own sign-in for the admin panel (the panel itself does no authentication).
///
/// The password comes from `ADMIN_PASSWORD`, or is generated on first start and printed once;
/// only its bcrypt hash is stored.
enum AdminLogin {
    static func configure(_ app: Application) async throws {
        app.migrations.add(CreateAdminCredential())
        app.sessions.use(.memory)
        app.sessions.configuration.cookieName = "example_admin_session"
    }

    /// Stores the password hash on first start, and says once how to sign in.
    static func ensureCredential(on app: Application) async throws {
        if let password = Environment.get("ADMIN_PASSWORD"), !password.isEmpty {
            try await AdminCredential.store(hash: try Bcrypt.hash(password), on: app.db)
            return
        }
        guard try await AdminCredential.query(on: app.db).first() == nil else { return }
        let password = [UInt8].random(count: 18).base64String().replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
        try await AdminCredential.store(hash: try Bcrypt.hash(password), on: app.db)
        // Shown to the operator exactly once, on the terminal that started the service.
        FileHandle.standardError.write(Data("""

            Admin panel: sign in at /login with the password below. It is shown only this once
            (set ADMIN_PASSWORD to choose your own):

                \(password)


            """.utf8))
    }

    static func routes(_ app: Application) -> any RoutesBuilder {
        let sessions = app.grouped(app.sessions.middleware)
        sessions.get("login") { _ in page(error: nil) }
        sessions.post("login") { req async throws -> Response in
            let password = (try? req.content.get(String.self, at: "password")) ?? ""
            guard let credential = try await AdminCredential.query(on: req.db).first(),
                (try? Bcrypt.verify(password, created: credential.passwordHash)) == true
            else { return page(error: "That password is not right.", status: .unauthorized) }
            req.session.data["admin"] = "yes"
            return req.redirect(to: "/admin/keys", redirectType: .normal)
        }
        sessions.post("logout") { req -> Response in
            req.session.destroy()
            return req.redirect(to: "/login", redirectType: .normal)
        }
        return sessions.grouped(RequireAdmin())
    }

    static func page(error: String?, status: HTTPStatus = .ok) -> Response {
        let message = error.map { #"<p class="error" role="alert">\#($0)</p>"# } ?? ""
        let html = """
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in · API keys</title>
            <style>body{font:15px system-ui,sans-serif;display:grid;place-items:center;min-height:90vh;background:rgb(246,248,250)}
            form{background:white;border:1px solid rgb(208,215,222);border-radius:6px;padding:24px;display:grid;gap:12px}
            input,button{padding:6px 10px;font:inherit}.error{color:rgb(207,34,46)}</style></head>
            <body><form method="post" action="/login"><h1>API keys admin</h1>\(message)
            <label>Password <input type="password" name="password" autofocus required></label>
            <button type="submit">Sign in</button></form></body></html>
            """
        let response = Response(status: status, body: .init(string: html))
        response.headers.contentType = .html
        return response
    }
}

/// Lets signed-in sessions through and sends everyone else to the sign-in page.
struct RequireAdmin: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.session.data["admin"] == "yes" else { return request.redirect(to: "/login", redirectType: .normal) }
        return try await next.respond(to: request)
    }
}

final class AdminCredential: Model, @unchecked Sendable {
    static let schema = "example_admin_credentials"
    @ID(key: .id) var id: UUID?
    @Field(key: "password_hash") var passwordHash: String
    init() {}

    static func store(hash: String, on database: any Database) async throws {
        try await AdminCredential.query(on: database).delete()
        let credential = AdminCredential()
        credential.passwordHash = hash
        try await credential.create(on: database)
    }
}

struct CreateAdminCredential: AsyncMigration {
    var name: String { "Example.CreateAdminCredential" }
    func prepare(on database: any Database) async throws {
        try await database.schema(AdminCredential.schema).id().field("password_hash", .string, .required).create()
    }
    func revert(on database: any Database) async throws {
        try await database.schema(AdminCredential.schema).delete()
    }
}
