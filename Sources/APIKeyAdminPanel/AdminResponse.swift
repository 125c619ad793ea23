/// The panel's answer: a page, a redirect or an error, with its cookies and security headers.
package struct AdminResponse: Sendable {
    /// The HTTP status code.
    package var status: Int
    /// Headers to send, in order (content type, location, security headers).
    package var headers: [(name: String, value: String)]
    /// The body, HTML or plain text.
    package var body: String
    /// Cookies to set or clear.
    package var cookies: [AdminCookie]

    static func redirect(to location: String) -> AdminResponse {
        AdminResponse(status: 303, headers: [("Location", location)], body: "", cookies: [])
    }

    /// The panel's script, for its pages' `<script src>` (the CSP allows no inline script).
    static func script(_ text: String) -> AdminResponse {
        AdminResponse(
            status: 200,
            headers: [("Content-Type", "text/javascript; charset=utf-8"), ("X-Content-Type-Options", "nosniff"), ("Cache-Control", "private, max-age=3600")],
            body: text, cookies: [])
    }
}

/// A cookie the panel sets (or clears, with an empty value and `clear`).
package struct AdminCookie: Sendable, Equatable {
    /// Its name.
    package let name: String
    /// Its value.
    package let value: String
    /// Where the browser sends it.
    package let path: String
    /// Only over HTTPS.
    package let isSecure: Bool
    /// `true`: set to expire at once, which removes it.
    package let clear: Bool
    /// Always HttpOnly and SameSite=Strict; a browser-session cookie unless cleared.
    package let isHTTPOnly = true
}
