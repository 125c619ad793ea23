import APIKeyExampleShared
import APIKeyAdminPanel
import APIKeyCore
import APIKeyFluent
import APIKeyHummingbird
import APIKeyHummingbirdAdmin
import FluentKit
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import NIOCore
import NIOPosix

/// A signed-in administrator's session for one request: its id, and its data, which the admin
/// panel may add to (its CSRF token); saved when the response is ready.
final class AdminSessionBox: Sendable {
    let id: String
    let data: Locked<[String: String]>
    /// Set by signing out: ``RequireAdmin`` then deletes the session instead of saving it.
    let hasEnded = Locked(false)

    init(id: String, data: [String: String]) {
        self.id = id
        self.data = Locked(data)
    }

    /// The panel's view of it.
    var adminSession: AdminSession {
        AdminSession(read: { key in self.data.withLock { $0[key] } }, write: { key, value in self.data.withLock { $0[key] = value } })
    }
}

/// The example's sign-in on Hummingbird, as on Vapor: one password (ADMIN_PASSWORD, or generated
/// and printed once), bcrypt on the thread pool, wrong passwords throttled per address, sessions
/// in ``AdminSessionStore`` with an HttpOnly browser-session cookie (`__Host-` and Secure with
/// ADMIN_HTTPS=1) whose id changes at sign-in.
struct AdminSignIn<Key: APIKeyModel>: Sendable {
    let fluent: FluentService
    let throttle = SignInThrottle()
    let secure = ProcessInfo.processInfo.environment["ADMIN_HTTPS"] == "1"
    var cookieName: String { (secure ? "__Host-" : "") + "example_admin_session" }

    /// `GET /login` and `POST /login`; `POST /logout` is ``signOut(_:_:)``, behind ``RequireAdmin``.
    func addRoutes(to router: Router<ExampleContext<Key>>) {
        router.get("login") { _, _ in page(error: nil) }
        router.post("login") { request, context in try await signIn(request, context) }
    }

    /// `POST /logout`, from the panels' header with their CSRF token: another site cannot sign
    /// you out.
    func signOut(_ request: Request, _ context: ExampleContext<Key>) async throws -> Response {
        let body = try await request.body.collect(upTo: 4_096)
        guard request.hasAdminCSRFToken(body: body, session: context.adminSession?.adminSession) else {
            return page(error: SignInPage.signOutRefused, status: .forbidden)
        }
        context.adminSession?.hasEnded.withLock { $0 = true }
        return redirect("/login")
    }

    private func signIn(_ request: Request, _ context: ExampleContext<Key>) async throws -> Response {
        let body = try await request.body.collect(upTo: 4_096)
        let password = (try? AdminForm(bytes: Array(body.readableBytesView)))?["password"] ?? ""
        let address = context.remoteAddress?.ipAddress ?? "unknown"
        if case .wait(let seconds) = throttle.begin(address) {
            var response = page(error: "Too many attempts. Try again in \(seconds) seconds.", status: .tooManyRequests)
            response.headers[HTTPField.Name("Retry-After")!] = String(seconds)
            return response
        }
        var succeeded = false
        defer { throttle.finished(address, succeeded: succeeded) }
        guard let credential = try await AdminCredential.query(on: fluent.db()).first(), password.utf8.count <= 1_024 else {
            return page(error: "That password is not right.", status: .unauthorized)
        }
        // bcrypt runs on the thread pool, never on the concurrency pool that serves requests.
        let hash = credential.passwordHash
        guard try await NIOThreadPool.singleton.runIfActive({ Bcrypt.verify(password, hash: hash) }) else {
            return page(error: "That password is not right.", status: .unauthorized)
        }
        succeeded = true
        // A new id at sign-in: whatever id the browser had before is worth nothing now.
        if let old = cookie(request) { try await AdminSessionStore.delete(old, on: fluent.db()) }
        let id = try await AdminSessionStore.create([AdminSessionStore.signedIn: "yes"], on: fluent.db())
        var response = redirect("/admin/keys")
        response.setCookie(sessionCookie(id))
        return response
    }

    /// Stores the password hash on first start, and says once how to sign in.
    func ensureCredential() async throws {
        if let password = ProcessInfo.processInfo.environment["ADMIN_PASSWORD"], !password.isEmpty {
            try await AdminCredential.store(hash: try await hash(password), on: fluent.db())
            return
        }
        guard try await AdminCredential.query(on: fluent.db()).first() == nil else { return }
        let password = Data((0..<18).map { _ in UInt8.random(in: .min ... .max) }).base64EncodedString()
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "+", with: "-")
        try await AdminCredential.store(hash: try await hash(password), on: fluent.db())
        // Shown to the operator exactly once, on the terminal that started the service.
        FileHandle.standardError.write(Data("""

            Admin panel: sign in at /login with the password below. It is shown only this once
            (set ADMIN_PASSWORD to choose your own):

                \(password)

            """.utf8))
    }

    private func hash(_ password: String) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: 12) }
    }

    func cookie(_ request: Request) -> String? {
        request.cookies[cookieName]?.value
    }

    func sessionCookie(_ id: String, clear: Bool = false) -> Cookie {
        Cookie(
            name: cookieName, value: id, expires: clear ? Date(timeIntervalSince1970: 0) : nil, maxAge: clear ? 0 : nil,
            path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    func page(error: String?, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: SignInPage.html(error: error))))
    }

    func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// Lets signed-in sessions through and sends everyone else to the sign-in page, storing
/// nothing: a cookie the server does not know is cleared. Saves the session after the response
/// (its idle expiry moves on; the panel may have added its CSRF token).
struct RequireAdmin<Key: APIKeyModel>: RouterMiddleware {
    let signIn: AdminSignIn<Key>

    func handle(_ request: Request, context: ExampleContext<Key>, next: (Request, ExampleContext<Key>) async throws -> Response) async throws -> Response {
        let database = signIn.fluent.db(logger: context.logger)
        guard let id = signIn.cookie(request) else { return signIn.redirect("/login") }
        guard let data = try await AdminSessionStore.read(id, on: database), data[AdminSessionStore.signedIn] == "yes" else {
            var response = signIn.redirect("/login")
            response.setCookie(signIn.sessionCookie("", clear: true))
            return response
        }
        let box = AdminSessionBox(id: id, data: data)
        var context = context
        context.adminSession = box
        var response = try await next(request, context)
        if box.hasEnded.withLock({ $0 }) {
            try await AdminSessionStore.delete(id, on: database)
            response.setCookie(signIn.sessionCookie("", clear: true))
            return response
        }
        // A session that ended while this request ran (signed out in another tab) stays ended.
        guard let saved = try await AdminSessionStore.update(id, to: box.data.withLock { $0 }, on: database) else {
            response.setCookie(signIn.sessionCookie("", clear: true))
            return response
        }
        if saved != id { response.setCookie(signIn.sessionCookie(saved)) }
        return response
    }
}
