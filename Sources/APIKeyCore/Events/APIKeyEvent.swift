#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// A change in a key's life: what happened to which key, when, and how. Never the key: the
/// prefix names it, as everywhere it is shown.
///
/// Events come from ``APIKeyEvents``, the app's one stream of them:
///
/// ```swift
/// for await event in app.apiKeys.events {
///     logger.notice("\(event.kind) \(event.prefix)", metadata: ["table": "\(event.keyTable)", "by": "\(event.source ?? "-")"])
/// }
/// ```
public struct APIKeyEvent: Sendable, Hashable {
    /// What happened: ``APIKeyEventKind/created``, ``APIKeyEventKind/revoked``, …
    public let kind: APIKeyEventKind
    /// The table of the key's model: `api_keys`, or a custom model's.
    public let keyTable: String
    /// The key's prefix.
    public let prefix: String
    /// The key's name, when it was known at the change.
    public let name: String?
    /// When it happened, by the app's clock.
    public let at: Date
    /// More about it, for people: the new key's prefix of a rotation, what an update changed,
    /// where a leaked key was found.
    public let detail: String?
    /// What made the change, when the caller said: `commands`, `admin`, `github`, your own.
    public let source: String?

    /// An event; the library makes them, and tests or apps replaying a log may too.
    ///
    /// ```swift
    /// let event = APIKeyEvent(kind: .revoked, keyTable: "api_keys", prefix: "C7oAzBnJ", at: Date())
    /// ```
    public init(
        kind: APIKeyEventKind, keyTable: String, prefix: String, name: String? = nil, at: Date, detail: String? = nil, source: String? = nil
    ) {
        self.kind = kind
        self.keyTable = keyTable
        self.prefix = prefix
        self.name = name
        self.at = at
        self.detail = detail
        self.source = source
    }
}
