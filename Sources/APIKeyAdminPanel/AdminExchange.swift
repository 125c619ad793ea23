/// One request to the admin panel, as framework glue hands it over: what the panel needs and
/// nothing of the framework.
///
/// ```swift
/// let request = AdminRequest(method: .get, path: ["keys"], query: try AdminForm(query: "page=2"))
/// let response = await panel.respond(to: request, manager: keys)
/// ```
public struct AdminRequest: Sendable {
    /// The two methods the panel answers.
    public enum Method: Sendable { case get, post }

    /// GET or POST.
    public var method: Method
    /// The path after the panel's root, e.g. `["keys", "C7oAzBnJ", "revoke"]`.
    public var path: [String]
    /// The query string's fields.
    public var query: AdminForm
    /// A POST's form fields (`application/x-www-form-urlencoded`).
    public var form: AdminForm
    /// The request's cookies, by name.
    public var cookies: [String: String]
    /// Whether it came over HTTPS (this server's TLS, or a proxy's `X-Forwarded-Proto: https`).
    public var isSecure: Bool
    /// The app's session for this request, when it has one: the CSRF token is kept there.
    public var session: AdminSession?
    /// Who is signed in, for the header; `nil` shows no one.
    public var signedInAs: String?

    /// A request.
    public init(
        method: Method, path: [String], query: AdminForm = AdminForm(), form: AdminForm = AdminForm(),
        cookies: [String: String] = [:], isSecure: Bool = false, session: AdminSession? = nil, signedInAs: String? = nil
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.form = form
        self.cookies = cookies
        self.isSecure = isSecure
        self.session = session
        self.signedInAs = signedInAs
    }

    /// Whether the POSTed form's `csrf` field holds the panel's token for this session (or, with
    /// no session, its cookie): what the app checks on its own forms in the panel, such as the
    /// header's sign-out button.
    ///
    /// ```swift
    /// guard request.hasValidCSRFToken else { return .forbidden }
    /// ```
    public var hasValidCSRFToken: Bool {
        (try? CSRF.verify(form["csrf"], for: self)) != nil
    }
}

/// Reads and writes one value of the app's session (Vapor's `req.session.data`, or your own).
public struct AdminSession: Sendable {
    let read: @Sendable (String) -> String?
    let write: @Sendable (String, String) -> Void

    /// A session read with `read` and written with `write`.
    ///
    /// ```swift
    /// AdminSession(read: { req.session.data[$0] }, write: { req.session.data[$0] = $1 })
    /// ```
    public init(read: @escaping @Sendable (String) -> String?, write: @escaping @Sendable (String, String) -> Void) {
        self.read = read
        self.write = write
    }
}

/// A cookie the panel sets (or clears, with an empty value and `clear`).
public struct AdminCookie: Sendable, Equatable {
    /// Its name.
    public let name: String
    /// Its value.
    public let value: String
    /// Where the browser sends it.
    public let path: String
    /// Only over HTTPS.
    public let isSecure: Bool
    /// `true`: set to expire at once, which removes it.
    public let clear: Bool
    /// Always HttpOnly and SameSite=Strict; a browser-session cookie unless cleared.
    public let isHTTPOnly = true
}

/// The panel's answer: a page, a redirect or an error, with its cookies and security headers.
public struct AdminResponse: Sendable {
    /// The HTTP status code.
    public var status: Int
    /// Headers to send, in order (content type, location, security headers).
    public var headers: [(name: String, value: String)]
    /// The body, HTML or plain text.
    public var body: String
    /// Cookies to set or clear.
    public var cookies: [AdminCookie]

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

/// Fields of a query string or an `application/x-www-form-urlencoded` body: `+` is a space,
/// `%XX` a byte, and every value must be UTF-8.
public struct AdminForm: Sendable {
    private var fields: [(name: String, value: String)] = []

    /// No fields.
    public init() {}

    /// Parses a query string (without the `?`).
    ///
    /// - Throws: ``AdminInputError`` when it is not UTF-8 once decoded.
    public init(query: String) throws(AdminInputError) {
        try self.init(bytes: Array(query.utf8))
    }

    /// Parses a form body.
    ///
    /// - Throws: ``AdminInputError`` when it is not UTF-8 once decoded.
    public init(bytes: [UInt8]) throws(AdminInputError) {
        for pair in bytes.split(separator: UInt8(ascii: "&")) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(parts[0])
            let value = parts.count > 1 ? try Self.decode(parts[1]) : ""
            fields.append((name, value))
        }
    }

    /// The first value of `name`.
    public subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Every value of `name` (or `name[]`), in order.
    public func values(_ name: String) -> [String] {
        fields.filter { $0.name == name || $0.name == name + "[]" }.map(\.value)
    }

    private static func decode(_ bytes: ArraySlice<UInt8>) throws(AdminInputError) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                decoded.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
                let high = hex(bytes[index + 1]), let low = hex(bytes[index + 2]) {
                decoded.append(high << 4 | low)
                index += 2
            } else {
                decoded.append(byte)
            }
            index += 1
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw AdminInputError("The form must be sent as UTF-8.")
        }
        return text
    }

    private static func hex(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Input the panel refuses, with a message for people.
public struct AdminInputError: Error, Sendable {
    /// What was wrong and what is accepted.
    public let message: String
    /// An error with this message.
    public init(_ message: String) { self.message = message }
}
