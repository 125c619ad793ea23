@_spi(Internals) import APIKeyCore
import APIKeyFluent

/// One request as the panel works on it, with the CSRF token minted for it, if any.
struct Exchange<Model: APIKeyModel>: Sendable {
    let request: AdminRequest
    let manager: APIKeyManager<Model>
    /// A token minted by this request (no session and no cookie yet): the page's cookie sets it.
    private let minted = Locked<String?>(nil)

    init(request: AdminRequest, manager: APIKeyManager<Model>) {
        self.request = request
        self.manager = manager
    }

    /// The POSTed form, after checking its CSRF token.
    func checkedForm() throws -> AdminForm {
        try CSRF.verify(request.form["csrf"], for: request)
        return request.form
    }

    /// The token forms carry.
    func csrfToken() -> String {
        if let session = request.session {
            if let stored = session.read(CSRF.key), stored.utf8.count == 64 { return stored }
            let token = CSRF.mint()
            session.write(CSRF.key, token)
            return token
        }
        if let existing = request.cookies[CSRF.cookieName(request)], existing.utf8.count == 64 { return existing }
        return minted.withLock { minted in
            if let minted { return minted }
            let token = CSRF.mint()
            minted = token
            return token
        }
    }

    /// The cookie that carries a token minted without a session.
    func mintedCSRFCookie(path: String) -> AdminCookie? {
        guard request.session == nil, let token = minted.withLock({ $0 }) else { return nil }
        return AdminCookie(
            name: CSRF.cookieName(request), value: token, path: request.isSecure ? "/" : path, isSecure: request.isSecure, clear: false)
    }
}

/// CSRF protection for every form.
///
/// When the request has a session (the panel is behind a session sign-in, as it normally is),
/// the token is kept in the session and every form must repeat it: a cookie an attacker manages
/// to plant (from a sibling subdomain, or injected into plain HTTP) is never compared. Without a
/// session (say, behind HTTP basic authentication), it falls back to a double-submit cookie,
/// `__Host-` and `Secure` over HTTPS, which no other host can set.
enum CSRF {
    static let key = "apikey_admin_csrf"

    static func verify(_ submitted: String?, for request: AdminRequest) throws(CSRFRejection) {
        let expected = request.session.map { $0.read(key) } ?? request.cookies[cookieName(request)]
        guard let expected, expected.utf8.count == 64, let submitted, ConstantTime.equals(submitted.utf8, expected.utf8)
        else { throw CSRFRejection() }
    }

    /// `__Host-` cookies must be `Secure`, have the path `/` and no domain.
    static func cookieName(_ request: AdminRequest) -> String {
        request.isSecure ? "__Host-" + key : key
    }

    static func mint() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in
            let byte = UInt8.random(in: .min ... .max, using: &generator)
            return String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }.joined()
    }
}

struct CSRFRejection: Error {}

struct UnknownKey: Error {}

/// A key whose row cannot be read (a column holds a value of the wrong kind).
struct UnreadableKey: Error {}

/// The one-time cookie that carries a new key from `create` to the page that shows it.
///
/// The key is never stored on the server, the redirect keeps a reload from creating a second
/// key, and the cookie is cleared by the page that shows it: a reload shows no key. It is named
/// after the key's prefix and sent only to that key's page, so two keys created in two tabs (or
/// in two panels) never shadow each other; it is HttpOnly, SameSite=Strict, `Secure` over HTTPS,
/// and a session cookie (no `Expires` or `Max-Age`). A browser keeps it only until that page is
/// shown, usually a redirect later; but a browser that restores its session after a crash or a
/// restart may write session cookies to disk, so a key whose page was never shown may sit in the
/// cookie store until it is. The key is shown once either way: the page clears the cookie.
struct NewKeyCookie {
    let name: String
    let secure: Bool

    init(prefix: String, secure: Bool) {
        // `__Secure-` makes browsers refuse it unless it was set over HTTPS with `Secure`.
        self.name = (secure ? "__Secure-" : "") + "apikey_new_key_" + prefix
        self.secure = secure
    }

    func carrying(_ key: PlaintextAPIKey, path: String) -> AdminCookie {
        AdminCookie(name: name, value: key.reveal(), path: path, isSecure: secure, clear: false)
    }

    func cleared(path: String) -> AdminCookie {
        AdminCookie(name: name, value: "", path: path, isSecure: secure, clear: true)
    }
}
