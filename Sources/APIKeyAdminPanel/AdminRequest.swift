/// One request to the admin panel, as framework glue hands it over: what the panel needs and
/// nothing of the framework.
///
/// ```swift
/// let request = AdminRequest(method: .get, path: ["keys"], query: try AdminForm(query: "page=2"))
/// let response = await panel.respond(to: request, manager: keys)
/// ```
package struct AdminRequest: Sendable {
    /// The two methods the panel answers.
    package enum Method: Sendable { case get, post }

    /// GET or POST.
    package var method: Method
    /// Where the panel is mounted, from the server's root: `/admin`, or `""` at the root. Every
    /// link and form of its pages starts with it.
    package var root: String
    /// The path after the panel's root, e.g. `["keys", "C7oAzBnJ", "revoke"]`.
    package var path: [String]
    /// The query string's fields.
    package var query: AdminForm
    /// A POST's form fields (`application/x-www-form-urlencoded`).
    package var form: AdminForm
    /// The request's cookies, by name.
    package var cookies: [String: String]
    /// Whether it came over HTTPS (this server's TLS, or a proxy's `X-Forwarded-Proto: https`).
    package var isSecure: Bool
    /// The app's session for this request, when it has one: the CSRF token is kept there.
    package var session: AdminSession?
    /// Who is signed in, for the header; `nil` shows no one.
    package var signedInAs: String?

    /// A request.
    package init(
        method: Method, root: String = "", path: [String], query: AdminForm = AdminForm(), form: AdminForm = AdminForm(),
        cookies: [String: String] = [:], isSecure: Bool = false, session: AdminSession? = nil, signedInAs: String? = nil
    ) {
        self.method = method
        self.root = root
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
    package var hasValidCSRFToken: Bool {
        (try? CSRF.verify(form["csrf"], for: self)) != nil
    }
}
