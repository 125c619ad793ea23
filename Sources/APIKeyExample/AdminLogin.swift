import APIKeyExampleShared
import APIKeyVapor
import APIKeyVaporAdmin
import Fluent
import Vapor

/// The example's own sign-in for the admin panel (the panel itself does no authentication).
///
/// The password comes from `ADMIN_PASSWORD`, or is generated on first start and printed once;
/// only its bcrypt hash is stored.
enum AdminLogin {
    /// The session key that marks a signed-in administrator.
    static let signedIn = AdminSessionStore.signedIn

    static func configure(_ app: Application) async throws {
        app.sessions.use { _ in AdminSessions() }
        // Over HTTPS (served here, or by a proxy in front: ADMIN_HTTPS=1), the cookie is
        // `__Host-` and Secure. Always HttpOnly, and a session cookie: the server decides when
        // a session ends (AdminSessions).
        let secure = app.http.server.configuration.tlsConfiguration != nil || Environment.get("ADMIN_HTTPS") == "1"
        let name = (secure ? "__Host-" : "") + "example_admin_session"
        app.sessions.configuration = SessionsConfiguration(cookieName: name) { id in
            guard id.string != AdminSessions.ended else {
                return HTTPCookies.Value(string: "", expires: Date(timeIntervalSince1970: 0), maxAge: 0, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
            }
            return HTTPCookies.Value(string: id.string, path: "/", isSecure: secure, isHTTPOnly: true, sameSite: .lax)
        }
    }

    /// Stores the password hash on first start, and says once how to sign in.
    static func ensureCredential(on app: Application) async throws {
        if let password = Environment.get("ADMIN_PASSWORD"), !password.isEmpty {
            try await AdminCredential.store(hash: try await app.password.async.hash(password).get(), on: app.db)
            return
        }
        guard try await AdminCredential.query(on: app.db).first() == nil else { return }
        let password = [UInt8].random(count: 18).base64String().replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
        try await AdminCredential.store(hash: try await app.password.async.hash(password).get(), on: app.db)
        // Shown to the operator exactly once, on the terminal that started the service.
        FileHandle.standardError.write(Data("""

            Admin panel: sign in at /login with the password below. It is shown only this once
            (set ADMIN_PASSWORD to choose your own):

                \(password)

            """.utf8))
    }

    static func routes(_ app: Application) -> any RoutesBuilder {
        let throttle = SignInThrottle()
        let sessions = app.grouped(app.sessions.middleware)
        sessions.get("login") { _ in page(error: nil) }
        sessions.post("login") { req async throws -> Response in
            let password = (try? req.content.get(String.self, at: "password")) ?? ""
            let address = req.remoteAddress?.ipAddress ?? "unknown"
            if case .wait(let seconds) = throttle.begin(address) {
                let response = page(error: "Too many attempts. Try again in \(seconds) seconds.", status: .tooManyRequests)
                response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
                return response
            }
            var succeeded = false
            defer { throttle.finished(address, succeeded: succeeded) }
            // bcrypt runs on the thread pool, never on the concurrency pool that serves requests.
            guard let credential = try await AdminCredential.query(on: req.db).first(),
                password.utf8.count <= 1_024,
                try await req.password.async.verify(password, created: credential.passwordHash).get()
            else { return page(error: "That password is not right.", status: .unauthorized) }
            succeeded = true
            // The session store gives the session a new id as it signs in.
            req.session.data[signedIn] = "yes"
            return req.redirect(to: "/admin/keys", redirectType: .normal)
        }
        sessions.post("logout") { req -> Response in
            // The header's button posts the panel's CSRF token: another site cannot sign you out.
            guard req.hasAdminCSRFToken else { return page(error: SignInPage.signOutRefused, status: .forbidden) }
            if req.hasSession { req.session.destroy() }
            return req.redirect(to: "/login", redirectType: .normal)
        }
        return sessions.grouped(RequireAdmin())
    }

    static func page(error: String?, status: HTTPStatus = .ok) -> Response {
        let response = Response(status: status, body: .init(string: SignInPage.html(error: error)))
        response.headers.contentType = .html
        return response
    }
}

/// Lets signed-in sessions through and sends everyone else to the sign-in page, storing nothing:
/// a request without a session cookie is not given a session, and a cookie the server does not
/// know is cleared.
struct RequireAdmin: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.hasSession, request.session.data[AdminLogin.signedIn] == "yes" else {
            if request.hasSession { request.session.destroy() }
            return request.redirect(to: "/login", redirectType: .normal)
        }
        return try await next.respond(to: request)
    }
}
