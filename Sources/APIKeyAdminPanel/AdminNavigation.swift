/// The panel's header: a link to every key section the app mounts, who is signed in, and a
/// sign-out button.
///
/// ```swift
/// var panel = AdminPanel(APIKey.self, root: "/admin")
/// panel.navigation = AdminNavigation(
///     sections: [AdminLink("API keys", "/admin/keys"), AdminLink("Organization API keys", "/admin/organization/keys")],
///     signOutPath: "/logout")
/// ```
public struct AdminNavigation: Sendable {
    /// The sections, in order. Empty: the header links the panel's own list.
    public var sections: [AdminLink]
    /// Where the sign-out button posts, with the panel's CSRF token in the field `csrf` (check it
    /// with ``AdminRequest/hasValidCSRFToken``); `nil` for no button.
    public var signOutPath: String?

    /// A header with these sections and this sign-out path.
    public init(sections: [AdminLink] = [], signOutPath: String? = nil) {
        self.sections = sections
        self.signOutPath = signOutPath
    }
}

/// One link of the panel's header.
///
/// ```swift
/// AdminLink("Organization API keys", "/admin/organization/keys")
/// ```
public struct AdminLink: Sendable {
    /// What the link says.
    public var title: String
    /// Where it goes, from the server's root.
    public var path: String

    /// A link saying `title` to `path`.
    public init(_ title: String, _ path: String) {
        self.title = title
        self.path = path
    }
}
